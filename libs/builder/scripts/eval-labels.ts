// `npm run eval:labels`: label accuracy of the built-in model's atlas against the shapes world's ground truth
// (precision / coverage / recall per method × layer). Uses the local database (DATABASE_URL, else PGlite),
// building the default atlas first when it has none; `--memory` builds it in a fresh in-memory database.
// Judged twice: against the units' stored top examples (the seed that produced the labels) and against their
// top examples on a shapes world drawn with another seed (`--held-out-seed N`, default 7; 0 = skip).
// `--all-units` also builds the residual-stream neurons and the ReLU SAEs (for SAE features vs the neurons of
// the same hook). Concept-share abstention (coverage vs precision at a minimum share) is printed too.
// Prints the tables and writes artifacts/eval/labels.json.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { evaluateStoredLabels, formatLabelEvalTable } from "../src/evaluation/label-eval";
import { heldOutTopTags } from "../src/evaluation/held-out-tops";
import { DEFAULT_SHAPES_DATASET } from "../src/dataset/ingest-shapes";
import { createAtlasBuildJob } from "../src/jobs/create-job";
import { executeJob } from "../src/jobs/execute-job";
import { repoRoot, type PrismaClient } from "@mmatlas/db";
import { ensureDefaultAtlas, openEvalDatabase } from "./eval-atlas";

/** Builds the residual-stream neurons and the ReLU SAEs the default atlas leaves out (same dataset and probe). */
async function buildRemainingUnits(prisma: PrismaClient, modelId: string, datasetId: string): Promise<void> {
  const hooks = (await prisma.hookPoint.findMany({ where: { modelId, kind: "RESID" } })).map((h) => h.name).sort();
  const dictionaries = (await prisma.dictionary.findMany({ where: { modelId, architecture: { not: "TOPK" } } }))
    .map((d) => d.name)
    .sort();
  const job = await createAtlasBuildJob(prisma, {
    modelId,
    datasetId,
    hooks,
    dictionaries,
    batchSize: 512,
    probeSize: DEFAULT_SHAPES_DATASET.images,
    scoreLabels: false, // this evaluation reads labels, not scores: no follow-up SCORE_LABELS job in the eval database
  });
  const done = await executeJob(prisma, job.id, {});
  if (done.status !== "SUCCEEDED") throw new Error(`build of the remaining units ${done.status}: ${done.error}`);
}

async function main() {
  const memory = process.argv.includes("--memory");
  const seedArg = process.argv.indexOf("--held-out-seed");
  const heldOutSeed = seedArg >= 0 ? Number(process.argv[seedArg + 1]) : 7;
  if (!Number.isInteger(heldOutSeed) || heldOutSeed === DEFAULT_SHAPES_DATASET.seed)
    throw new Error(`--held-out-seed must be an integer other than ${DEFAULT_SHAPES_DATASET.seed}`);
  const db = await openEvalDatabase(memory);
  try {
    const built = await ensureDefaultAtlas(db);
    if (process.argv.includes("--all-units")) await buildRemainingUnits(db.prisma, built.modelId, built.datasetId);
    const report = await evaluateStoredLabels(db.prisma, built.modelId);
    console.log(
      `Label accuracy of ${report.model} (${report.units} units; monosemantic = ≥ ${report.threshold * 100}% of top-k examples share a concept)\n`,
    );
    console.log(
      `labels' own dataset (seed ${DEFAULT_SHAPES_DATASET.seed}, stored top-k):\n${formatLabelEvalTable(report)}`,
    );
    let heldOut: typeof report | null = null;
    const abstention: { minShare: number; precision: number | null; coverage: number | null }[] = [];
    if (heldOutSeed !== 0) {
      const t = Date.now();
      const { images, texts } = DEFAULT_SHAPES_DATASET;
      const tops = await heldOutTopTags(
        db.prisma,
        built.modelId,
        { name: `shapes-world-held-out-${heldOutSeed}`, seed: heldOutSeed, images, texts },
        20,
      );
      heldOut = await evaluateStoredLabels(db.prisma, built.modelId, report.threshold, tops);
      for (const minShare of [0.6, 0.7, 0.8]) {
        const r = (
          await evaluateStoredLabels(db.prisma, built.modelId, report.threshold, tops, { "concept-share": minShare })
        ).rows.find((x) => x.method === "concept-share" && x.layer === "*")!;
        abstention.push({ minShare, precision: r.precision, coverage: r.coverage });
      }
      console.log(
        `\nheld-out dataset (seed ${heldOutSeed}, ${images} images + ${texts} captions, top-20 recomputed; ${((Date.now() - t) / 1000).toFixed(1)}s):\n${formatLabelEvalTable(heldOut)}`,
      );
    }
    for (const a of abstention)
      console.log(
        `concept-share abstaining below share ${a.minShare}: held-out precision ${((a.precision ?? 0) * 100).toFixed(1)}%, coverage ${((a.coverage ?? 0) * 100).toFixed(1)}%`,
      );
    const out = path.join(repoRoot(), "artifacts", "eval", "labels.json");
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(
      out,
      `${JSON.stringify({ ...report, datasetId: built.datasetId, heldOut: heldOut && { seed: heldOutSeed, rows: heldOut.rows, abstention }, createdAt: new Date().toISOString() }, null, 2)}\n`,
    );
    console.log(`\nwrote ${path.relative(repoRoot(), out)}`);
  } finally {
    await db.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
