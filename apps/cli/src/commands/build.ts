// `atlas build`: builds (or resumes) an atlas in the local database (DATABASE_URL, else the embedded PGlite)
// with a live progress bar; Ctrl-C cancels cleanly (the job can be resumed with --resume <job id>).
import type { Command } from "commander";
import {
  buildDefaultAtlas,
  describePassMemory,
  formatBuildPlan,
  planAtlasBuild,
  queueAtlasBuild,
  DEFAULT_SHAPES_DATASET,
  executeJob,
  ingestShapesDataset,
} from "@mmatlas/builder";
import { resolveDatasetId, resolveModelId } from "@mmatlas/catalog";
import type { Job, PrismaClient } from "@mmatlas/db";
import { isAppError } from "@mmatlas/errors";
import { MODEL_NAME } from "@mmatlas/model-zoo";
import { createProgressPrinter } from "../lib/progress-bar";
import { openPreparedDatabase } from "../lib/with-database";

interface BuildOptions {
  model: string;
  dataset?: string;
  hooks?: string;
  saes?: string;
  k: string;
  batchSize?: string;
  probeSize?: string;
  causalUnits?: string;
  maxUnits?: string;
  resume?: string;
  default?: boolean;
  ifMissing?: boolean;
  /** false (--no-score-labels): queue no label scoring after the build */
  scoreLabels?: boolean;
  /** print the build's unit sets and memory, queue nothing */
  dryRun?: boolean;
}

const list = (s?: string) =>
  s === undefined
    ? undefined
    : s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean);
const int = (s: string | undefined) => (s === undefined ? undefined : Number(s));

/** `id`, or for NOT_FOUND a message that lists the names there are */
function orListNames(
  id: Promise<string>,
  what: string,
  ref: string,
  names: () => Promise<{ name: string }[]>,
): Promise<string> {
  return id.catch(async (e: unknown) => {
    if (!isAppError(e) || e.code !== "NOT_FOUND") throw e;
    throw new Error(
      `no ${what} "${ref}" in the database (${what}s: ${(await names()).map((r) => r.name).join(", ") || "none"})`,
    );
  });
}

/** The model named by --model (name or id; the built-in one is registered by openPreparedDatabase). */
async function resolveModel(prisma: PrismaClient, nameOrId: string) {
  const id = await orListNames(resolveModelId(prisma, nameOrId, "model"), "model", nameOrId, () =>
    prisma.model.findMany({ select: { name: true } }),
  );
  return prisma.model.findUniqueOrThrow({ where: { id }, include: { hookPoints: true, dictionaries: true } });
}

async function resolveDataset(prisma: PrismaClient, nameOrId?: string) {
  if (!nameOrId || nameOrId === DEFAULT_SHAPES_DATASET.name) return ingestShapesDataset(prisma, DEFAULT_SHAPES_DATASET);
  const id = await orListNames(resolveDatasetId(prisma, nameOrId, "dataset"), "dataset", nameOrId, () =>
    prisma.dataset.findMany({ select: { name: true } }),
  );
  return prisma.dataset.findUniqueOrThrow({ where: { id } });
}

export async function runBuildCommand(opts: BuildOptions): Promise<number> {
  const db = await openPreparedDatabase();
  const abort = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    process.stderr.write("\nCancelling after the current batch (Ctrl-C again to quit at once) ...\n");
    abort.abort();
  };
  process.on("SIGINT", onSigint);
  const bar = createProgressPrinter();
  try {
    console.error(`Database: ${db.label}`);
    let jobId: string;
    if (opts.resume) {
      jobId = opts.resume;
    } else if (opts.default) {
      const started = Date.now();
      const r = await buildDefaultAtlas(db.prisma, {
        onProgress: bar.update,
        signal: abort.signal,
        force: !opts.ifMissing,
        log: (m) => console.error(m),
      });
      bar.done();
      if (!r.job) return 0;
      console.log(
        `Default atlas job ${r.job.id}: ${r.job.status}${r.job.error ? ` — ${r.job.error}` : ""}; ${r.units} units in ${((Date.now() - started) / 1000).toFixed(1)}s (dataset ingest included)`,
      );
      if (r.job.status === "SUCCEEDED") console.log(`  ${JSON.stringify(r.job.metrics)}`);
      return r.job.status === "SUCCEEDED" ? 0 : 1;
    } else {
      const model = await resolveModel(db.prisma, opts.model);
      const dataset = await resolveDataset(db.prisma, opts.dataset);
      // naming only --saes (or only --hooks) builds just those; with neither, the default set
      const hooks =
        list(opts.hooks) ??
        (opts.saes !== undefined
          ? []
          : model.hookPoints
              .filter((h) => h.kind === "MLP" || h.kind === "ATTN_PATTERN")
              .map((h) => h.name)
              .sort());
      const dictionaries =
        list(opts.saes) ??
        (opts.hooks !== undefined
          ? []
          : model.dictionaries
              .filter((d) => d.architecture === "TOPK")
              .map((d) => d.name)
              .sort());
      const input = {
        modelId: model.id,
        datasetId: dataset.id,
        hooks,
        dictionaries,
        k: int(opts.k),
        batchSize: int(opts.batchSize),
        probeSize: int(opts.probeSize),
        causalUnits: int(opts.causalUnits),
        maxUnits: int(opts.maxUnits),
        scoreLabels: opts.scoreLabels ?? true,
      };
      const plan = await planAtlasBuild(db.prisma, input);
      if (opts.dryRun) {
        console.log(formatBuildPlan(plan));
        return 0;
      }
      const job = await queueAtlasBuild(db.prisma, plan);
      jobId = job.id;
      console.error(
        `Job ${jobId}: ${model.name} on ${dataset.name} (${dataset.size} examples), ${hooks.length} hooks, ${dictionaries.length} SAEs, k=${opts.k}, batch ${plan.params.batchSize}`,
      );
      console.error(`Memory: ${describePassMemory(plan.memory, plan.budget, plan.params.batchSize)}`);
    }
    const started = Date.now();
    const job = await executeJob(db.prisma, jobId, { signal: abort.signal, onProgress: bar.update });
    bar.done();
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    if (job.status === "SUCCEEDED") console.log(`Job ${job.id} SUCCEEDED in ${secs}s: ${JSON.stringify(job.metrics)}`);
    else if (job.status === "CANCELLED")
      console.log(`Job ${job.id} CANCELLED; resume with: npm run atlas -- build --resume ${job.id}`);
    else console.log(`Job ${job.id} ${job.status}: ${job.error}`);
    await runLabelScoringOf(db.prisma, job, abort.signal, bar);
    return job.status === "SUCCEEDED" ? 0 : 1;
  } finally {
    process.off("SIGINT", onSigint);
    await db.close();
  }
}

/**
 * The CLI is its build's worker: it also runs the SCORE_LABELS job the succeeded build queued (unless a job runner
 * already took it). Its outcome is reported but never changes the build's exit code.
 */
async function runLabelScoringOf(
  prisma: PrismaClient,
  build: Job,
  signal: AbortSignal,
  bar: ReturnType<typeof createProgressPrinter>,
): Promise<void> {
  const scoringId = (build.metrics as { labelScoringJobId?: string } | null)?.labelScoringJobId;
  if (build.status !== "SUCCEEDED" || !scoringId || signal.aborted) return;
  const { count } = await prisma.job.updateMany({
    where: { id: scoringId, status: "QUEUED" },
    data: { status: "RUNNING" },
  });
  if (count === 0) return;
  console.error(`Scoring the labels of the built units (job ${scoringId}) ...`);
  const scored = await executeJob(prisma, scoringId, { signal, onProgress: bar.update });
  bar.done();
  console.log(
    `Label scoring job ${scored.id} ${scored.status}${scored.error ? `: ${scored.error}` : ""}${scored.status === "SUCCEEDED" ? ` ${JSON.stringify(scored.metrics)}` : ""}`,
  );
}

export function registerBuildCommand(program: Command): void {
  program
    .command("build")
    .description(
      "build an atlas (top examples, stats, auto-labels, multimodal scores, head stats, causal effects) in the local database",
    )
    .option("--model <name|id>", "model name or id", MODEL_NAME)
    .option(
      "--dataset <name|id>",
      `dataset (default: the generated ${DEFAULT_SHAPES_DATASET.name}, ingested when missing)`,
    )
    .option(
      "--hooks <list>",
      "comma-separated hook points (default: every MLP and attention-pattern hook, or none when only --saes is given)",
    )
    .option(
      "--saes <list>",
      "comma-separated SAE (dictionary) names (default: the model's TopK SAEs, or none when only --hooks is given)",
    )
    .option("--k <n>", "top examples per unit", "20")
    .option("--batch-size <n>", "examples per batch/checkpoint")
    .option("--probe-size <n>", "probe examples per tower for CLIP-Dissect labels")
    .option("--causal-units <n>", "units per image unit set whose causal effect is measured")
    .option("--max-units <n>", "study only the first n neurons / features of each hook or SAE")
    .option("--resume <jobId>", "resume an interrupted, failed or cancelled build job from its checkpoint")
    .option("--default", "(re)build the default atlas of the built-in model exactly as npm start does")
    .option("--if-missing", "with --default: only when the database holds no atlas of the built-in model yet")
    .option("--no-score-labels", "do not score the labels of the built units afterwards (a SCORE_LABELS job)")
    .option("--dry-run", "print the unit sets and the memory the pass needs; queue and build nothing")
    .action(async (opts: BuildOptions) => {
      process.exitCode = await runBuildCommand(opts);
    });
}
