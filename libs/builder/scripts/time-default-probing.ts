// Times the default atlas's PROBE_CONCEPTS job (what `npm start` queues after the default atlas: the built-in
// model on the default shapes dataset, DEFAULT_ATLAS_PROBE_EXAMPLES per tower, SAEs included) on a fresh
// in-memory database; the job needs no atlas units, only the model and the dataset. Prints wall time and metrics.
//   npx tsx --tsconfig tsconfig.base.json libs/builder/scripts/time-default-probing.ts
import { registerModelFromManifest } from "@mmatlas/catalog";
import { createTestDatabase } from "@mmatlas/db/testing";
import { builtinModelDir } from "@mmatlas/model-zoo";
import { DEFAULT_SHAPES_DATASET, executeJob, ingestShapesDataset } from "../src";
import { queueDefaultProbing } from "../src/probing/probe-job";

async function main() {
  const db = await createTestDatabase();
  try {
    const { model } = await registerModelFromManifest(db.prisma, builtinModelDir());
    const dataset = await ingestShapesDataset(db.prisma, DEFAULT_SHAPES_DATASET);
    const job = await queueDefaultProbing(db.prisma, model.id, dataset.id, (m) => console.error(m));
    if (!job) throw new Error("no probing job was queued");
    const started = Date.now();
    const done = await executeJob(db.prisma, job.id);
    console.log(`default probing job: ${done.status} in ${((Date.now() - started) / 1000).toFixed(1)} s wall`);
    console.log(JSON.stringify(done.metrics));
    if (done.status !== "SUCCEEDED") process.exitCode = 1;
  } finally {
    await db.close();
  }
}

void main();
