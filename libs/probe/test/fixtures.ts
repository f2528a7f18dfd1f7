// Test fixtures for the probe: the built-in model registered in a fresh test database with Unit rows for a
// few layers, and shapes-world images (one object of a chosen color/shape) encoded as PNG base64.
import { type HookPoint, type Model, type UnitKind } from "@mmatlas/db";
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { registerModelFromManifest } from "@mmatlas/catalog";
import {
  builtinModelDir,
  encodePng,
  IMAGE_SIZE,
  renderScene,
  type Color,
  type Scene,
  type Shape,
} from "@mmatlas/model-zoo";

export interface BuiltinFixture {
  db: TestDatabase;
  model: Model;
  hook(name: string): HookPoint;
  dictionaryId(name: string): string;
}

/** Deterministic uniform [0,1) stream (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Base64 PNG of one large object at the center (colors jittered and background drawn from `seed`). */
export function objectImage(
  color: Color,
  shape: Shape,
  seed: number,
  position: { cx: number; cy: number } = { cx: 16, cy: 16 },
): string {
  const scene: Scene = {
    kind: "object",
    objects: [{ color, shape, size: "large", position: "center", cx: position.cx, cy: position.cy, r: 8 }],
  };
  const rgb = renderScene(scene, seeded(seed));
  return encodePng(rgb, IMAGE_SIZE, IMAGE_SIZE).toString("base64");
}

/** The built-in model registered, with Unit rows (neurons, SAE features, heads) for the given hook points. */
export async function builtinFixture(
  units: { hook: string; kind: UnitKind; dictionary?: string; count: number }[],
): Promise<BuiltinFixture> {
  const db = await createTestDatabase();
  const { model } = await registerModelFromManifest(db.prisma, builtinModelDir());
  const hooks = await db.prisma.hookPoint.findMany({ where: { modelId: model.id } });
  const dicts = await db.prisma.dictionary.findMany({ where: { modelId: model.id } });
  const hook = (name: string) => {
    const h = hooks.find((x) => x.name === name);
    if (!h) throw new Error(`no hook point ${name}`);
    return h;
  };
  const dictionaryId = (name: string) => {
    const d = dicts.find((x) => x.name === name);
    if (!d) throw new Error(`no dictionary ${name}`);
    return d.id;
  };
  for (const u of units) {
    const h = hook(u.hook);
    const dictId = u.dictionary ? dictionaryId(u.dictionary) : null;
    await db.prisma.unit.createMany({
      data: Array.from({ length: u.count }, (_, index) => ({
        slug: `${model.name}/${h.name}/${u.dictionary ?? u.kind.toLowerCase()}/${index}`,
        modelId: model.id,
        hookPointId: h.id,
        dictionaryId: dictId,
        kind: u.kind,
        index,
      })),
    });
  }
  return { db, model, hook, dictionaryId };
}
