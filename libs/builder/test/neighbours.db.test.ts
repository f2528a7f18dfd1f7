// A small build stores each unit's similar units (decoder / weight-direction cosine and activation correlation,
// within its unit set) and a seeded 2D map per unit set; a rebuild rewrites the same rows, never duplicates them.
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { createAtlasBuildJob, executeJob } from "../src";
import { readSafetensors } from "@mmatlas/inference";
import { builtinModelDir } from "@mmatlas/model-zoo";
import { SMALL_SAES, smallSetup } from "./helpers";

jest.setTimeout(300_000);

let db: TestDatabase;
let setup: Awaited<ReturnType<typeof smallSetup>>;

beforeAll(async () => {
  db = await createTestDatabase();
  setup = await smallSetup(db.prisma);
});
afterAll(() => db?.close());

async function build() {
  const job = await createAtlasBuildJob(db.prisma, setup.params);
  const done = await executeJob(db.prisma, job.id);
  expect(done.error).toBeNull();
  return done;
}

async function stored() {
  const neighbours = await db.prisma.unitNeighbour.findMany({
    include: {
      unit: { select: { slug: true, hookPointId: true, dictionaryId: true, kind: true, index: true } },
      neighbour: { select: { slug: true, hookPointId: true, dictionaryId: true, kind: true, index: true } },
    },
    orderBy: [{ unitId: "asc" }, { kind: "asc" }, { rank: "asc" }],
  });
  const points = await db.prisma.unitMapPoint.findMany({
    include: { unit: { select: { slug: true, hookPointId: true, dictionaryId: true, kind: true } } },
  });
  return { neighbours, points };
}

const cosine = (a: Float32Array, b: Float32Array) => {
  let dot = 0,
    na = 0,
    nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
};

test("a build stores neighbours within each unit set and a map per set", async () => {
  const job = await build();
  const metrics = job.metrics as { timings: Record<string, number> };
  expect(metrics.timings.neighbourSeconds).toBeGreaterThanOrEqual(0);
  expect(metrics.timings.mapSeconds).toBeGreaterThan(0);

  const { neighbours, points } = await stored();
  const units = await db.prisma.unit.findMany({ where: { modelId: setup.model.id, kind: { not: "ATTENTION_HEAD" } } });
  expect(units).toHaveLength(72); // 24 vision MLP neurons, 24 text MLP neurons, 24 SAE features
  const setOf = (u: { hookPointId: string; dictionaryId: string | null; kind: string }) =>
    `${u.hookPointId}/${u.dictionaryId}/${u.kind}`;
  for (const kind of ["DECODER_COSINE", "ACTIVATION_CORRELATION"] as const) {
    const rows = neighbours.filter((n) => n.kind === kind);
    const byUnit = new Map<string, typeof rows>();
    for (const r of rows) byUnit.set(r.unitId, [...(byUnit.get(r.unitId) ?? []), r]);
    // every MLP neuron and SAE feature has a direction; correlation needs activations that vary over the probe set
    if (kind === "DECODER_COSINE") expect(byUnit.size).toBe(72);
    else expect(byUnit.size).toBeGreaterThan(60);
    for (const [unitId, list] of byUnit) {
      expect(list.map((r) => r.rank)).toEqual(list.map((_, i) => i));
      expect(list.length).toBeLessThanOrEqual(10);
      for (let i = 0; i < list.length; i++) {
        const r = list[i];
        expect(r.neighbourId).not.toBe(unitId);
        expect(setOf(r.neighbour)).toBe(setOf(r.unit)); // same hook point, dictionary and kind
        expect(r.score).toBeGreaterThanOrEqual(-1);
        expect(r.score).toBeLessThanOrEqual(1);
        if (i > 0) expect(r.score).toBeLessThanOrEqual(list[i - 1].score);
      }
    }
  }

  // decoder cosine of SAE features = cosine of their W_dec rows in the committed weights
  const saeDir = path.join(builtinModelDir(), "saes", SMALL_SAES[0], "sae_weights.safetensors");
  const wDec = readSafetensors(saeDir).tensors.W_dec;
  const dIn = wDec.shape[1];
  const row = (i: number) => wDec.data.subarray(i * dIn, (i + 1) * dIn) as Float32Array;
  const saeRows = neighbours.filter((n) => n.kind === "DECODER_COSINE" && n.unit.kind === "SAE_FEATURE");
  expect(saeRows.length).toBe(24 * 10);
  for (const r of saeRows) expect(r.score).toBeCloseTo(cosine(row(r.unit.index), row(r.neighbour.index)), 5);
  // and rank 0 is the best of the other 23 features
  const first = saeRows.find((r) => r.unit.index === 0 && r.rank === 0)!;
  const best = Math.max(...Array.from({ length: 23 }, (_, j) => cosine(row(0), row(j + 1))));
  expect(first.score).toBeCloseTo(best, 5);

  // one map per unit set (from decoder directions), every unit placed inside [0, 1]
  expect(points).toHaveLength(72);
  expect(new Set(points.map((p) => setOf(p.unit))).size).toBe(3);
  for (const p of points) {
    expect(p.source).toBe("DECODER_COSINE");
    for (const v of [p.x, p.y]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
  }

  // a rebuild rewrites the same neighbours and the same (seeded) map
  const before = await stored();
  await build();
  const after = await stored();
  const key = (r: { unit: { slug: string }; kind: string; rank: number; neighbour: { slug: string }; score: number }) =>
    `${r.unit.slug}|${r.kind}|${r.rank}|${r.neighbour.slug}|${r.score}`;
  expect(after.neighbours.map(key).sort()).toEqual(before.neighbours.map(key).sort());
  const pkey = (p: { unit: { slug: string }; x: number; y: number }) => `${p.unit.slug}|${p.x}|${p.y}`;
  expect(after.points.map(pkey).sort()).toEqual(before.points.map(pkey).sort());
});
