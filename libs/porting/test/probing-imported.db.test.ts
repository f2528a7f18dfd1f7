// Linear probing on an imported Hugging Face CLIP (the tiny export in fixtures/hf-clip-tiny) over an imported
// ImageFolder (`class:<folder>` tags): the PROBE_CONCEPTS job probes every vision RESID / MLP hook of the imported
// model for the `class` family, stores the cells, and the classes are the folder names.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createProbeConceptsJob, executeJob } from "@mmatlas/builder";
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { generateShapesWorld } from "@mmatlas/model-zoo";
import { importHfClipModel, importImageFolder } from "../src";
import { hfClipWorkspace } from "./fixtures/hf-clip-workspace";

jest.setTimeout(180_000);
const workspace = hfClipWorkspace("probe-hf-");
const tmp = workspace.root;
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
  workspace.remove();
});

it("probes the imported model's vision hooks for the ImageFolder classes", async () => {
  const dir = workspace.hfFolder("tiny-clip");
  const { model } = await importHfClipModel(db.prisma, dir, { dataDir: workspace.dataDir });

  // two classes: shapes-world images of red objects vs blue objects (the whole image's colour differs)
  const folder = path.join(tmp, "images");
  let kept = 0;
  for (const ex of generateShapesWorld({ seed: 5, count: 400, png: true })) {
    const colour = ex.tags.includes("count:1") ? ["red", "blue"].find((c) => ex.tags.includes(`color:${c}`)) : null;
    if (!colour) continue;
    mkdirSync(path.join(folder, colour), { recursive: true });
    writeFileSync(path.join(folder, colour, `${ex.index}.png`), ex.png!);
    kept++;
  }
  const { dataset } = await importImageFolder(db.prisma, folder, { name: "red-vs-blue" });
  expect(kept).toBeGreaterThan(60);

  const job = await executeJob(
    db.prisma,
    (await createProbeConceptsJob(db.prisma, { modelId: model.name, datasetId: dataset.name })).id,
  );
  expect(job.error).toBeNull();
  expect(job.status).toBe("SUCCEEDED");
  const cells = await db.prisma.probeResult.findMany({ where: { modelId: model.id }, orderBy: { hookName: "asc" } });
  const hooks = await db.prisma.hookPoint.findMany({
    where: { modelId: model.id, tower: "VISION", kind: { in: ["RESID", "MLP"] } },
  });
  expect(cells.map((c) => c.hookName).sort()).toEqual(hooks.map((h) => h.name).sort());
  for (const c of cells) {
    expect(c.tower).toBe("VISION");
    expect(c.family).toBe("class");
    expect(c.classes).toEqual(["blue", "red"]);
    expect(c.trainCount + c.testCount).toBe(kept);
    expect(c.accuracy).toBeGreaterThanOrEqual(0);
    expect(c.accuracy).toBeLessThanOrEqual(1);
  }
  // even an untrained tiny ViT carries the image's dominant colour linearly at its CLS token
  const best = Math.max(...cells.map((c) => c.accuracy - c.chance));
  expect(best).toBeGreaterThan(0.2);
});
