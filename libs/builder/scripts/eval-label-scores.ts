// `npm run eval:label-scores`: how well the label scorer tells a monosemantic unit's ground-truth concept from a
// wrong one on the built-in model's atlas (libs/builder/src/evaluation/score-eval.ts), and what scoring every
// label of the default atlas costs. Uses the local database (DATABASE_URL, else PGlite), building (and scoring)
// the default atlas first when it has none; `--memory` works in a fresh database; `--rescore` scores every label
// again first (timed); `--predictor cosine|zero-shot|family-zero-shot` (images), `--text-predictor
// token-recall|cosine|zero-shot|family-zero-shot` and `--score-size n` evaluate other settings. Writes artifacts/eval/label-scores.json.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createScoreLabelsJob, executeJob } from "../src";
import { evaluateLabelScorer, formatScoreEvalTable } from "../src/evaluation/score-eval";
import { repoRoot } from "@mmatlas/db";
import { ensureDefaultAtlas, openEvalDatabase } from "./eval-atlas";
import type { PredictorKind, TextPredictorKind } from "../src/scoring/unit-label-scores";

async function main() {
  const memory = process.argv.includes("--memory");
  const db = await openEvalDatabase(memory);
  try {
    const built = await ensureDefaultAtlas(db);
    if (process.argv.includes("--rescore")) {
      // score every label again (e.g. after changing the scorer), timed as a job of its own
      const job = await createScoreLabelsJob(db.prisma, { modelId: built.modelId });
      const done = await executeJob(db.prisma, job.id);
      if (done.status !== "SUCCEEDED") throw new Error(`scoring ${done.status}: ${done.error}`);
    }
    const scoreJob = await db.prisma.job.findFirst({
      where: { kind: "SCORE_LABELS", status: "SUCCEEDED" },
      orderBy: { createdAt: "desc" },
    });
    if (scoreJob) console.log(`label scoring job: ${JSON.stringify(scoreJob.metrics)}`);
    const buildTimings = built.job ? (built.job.metrics as { timings?: unknown }).timings : null;
    const arg = (name: string) => {
      const i = process.argv.indexOf(name);
      return i > 0 ? process.argv[i + 1] : undefined;
    };
    const predictor = arg("--predictor") as PredictorKind | undefined;
    const textPredictor = arg("--text-predictor") as TextPredictorKind | undefined;
    const scoreSize = arg("--score-size") ? Number(arg("--score-size")) : undefined;
    const report = await evaluateLabelScorer(db.prisma, built.modelId, { predictor, textPredictor, scoreSize });
    console.log(
      `predictor: images ${predictor ?? "default"}, texts ${textPredictor ?? "default"}, held-out examples per tower: ${scoreSize ?? "default"}`,
    );
    console.log(
      `Label scorer on ${report.monosemantic} monosemantic of ${report.units} units (correct label's detection AUROC > a wrong label's)\n`,
    );
    console.log(formatScoreEvalTable(report));
    const out = path.join(repoRoot(), "artifacts", "eval", "label-scores.json");
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(
      out,
      `${JSON.stringify({ ...report, scoreJob: scoreJob?.metrics ?? null, buildTimings, createdAt: new Date().toISOString() }, null, 2)}\n`,
    );
    console.log(`\nwrote ${path.relative(repoRoot(), out)}`);
  } finally {
    await db.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
