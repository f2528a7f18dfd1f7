// `npm run eval:labels`: label accuracy of the built-in model's atlas against the shapes world's ground truth
// (precision / coverage / recall per method × layer). Uses the local database (DATABASE_URL, else PGlite),
// building the default atlas first when it has none; `--memory` builds it in a fresh in-memory database.
// Prints a table and writes artifacts/eval/labels.json.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildDefaultAtlas, evaluateStoredLabels, formatLabelEvalTable } from "@mmatlas/builder";
import { createTestDatabase, migrateDatabase, openDatabase, repoRoot, type Database } from "@mmatlas/db";

async function main() {
  const memory = process.argv.includes("--memory");
  let db: Database;
  if (memory) db = await createTestDatabase();
  else { await migrateDatabase(); db = await openDatabase(); }
  try {
    console.error(`Database: ${db.label}`);
    const started = Date.now();
    const built = await buildDefaultAtlas(db.prisma, { log: (m) => console.error(m) });
    if (built.job && built.job.status !== "SUCCEEDED") throw new Error(`default atlas build ${built.job.status}: ${built.job.error}`);
    if (built.job) console.error(`built the default atlas in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    const report = await evaluateStoredLabels(db.prisma, built.modelId);
    console.log(`Label accuracy of ${report.model} (${report.units} units; monosemantic = ≥ ${report.threshold * 100}% of top-k examples share a concept)\n`);
    console.log(formatLabelEvalTable(report));
    const out = path.join(repoRoot(), "artifacts", "eval", "labels.json");
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify({ ...report, datasetId: built.datasetId, createdAt: new Date().toISOString() }, null, 2)}\n`);
    console.log(`\nwrote ${path.relative(repoRoot(), out)}`);
  } finally {
    await db.close();
  }
}

main().catch((e: unknown) => { console.error(e instanceof Error ? e.message : e); process.exit(1); });
