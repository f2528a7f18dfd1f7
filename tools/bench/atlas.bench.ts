// `npm run bench:atlas` — atlas build throughput and memory vs dataset size, with @mmatlas/builder
// (executeJob) on the built-in model over generated shapes datasets of growing size, into PostgreSQL
// (mmatlas_bench_atlas). Each size runs in a fresh child process so its peak RSS (maxRSS) is its own; the
// streaming design should keep peak memory flat while examples grow. Hooks: every MLP and attention-pattern
// hook of the model plus its TopK SAEs (what `atlas build --default` builds).
//   options: --sizes 128,256,512,1024 (images; texts = images / 2) --database-url URL
import { spawnSync } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import { createAtlasBuildJob, executeJob, ingestShapesDataset, type JobProgress } from "@mmatlas/builder";
import { registerModelFromManifest } from "@mmatlas/catalog";
import { migrateDatabase, openDatabase } from "@mmatlas/db";
import { builtinModelDir } from "@mmatlas/model-zoo";
import { DEFAULT_PG_SERVER, databaseUrl, ensureDatabase } from "./lib/pg-admin";
import { REPO_ROOT, machineContext, printTable, writeReport, type Row } from "./lib/report";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "128,256,512,1024" },
    one: { type: "string" },
    "database-url": { type: "string" },
  },
});
const url =
  values["database-url"] ??
  process.env.BENCH_ATLAS_DATABASE_URL ??
  databaseUrl(process.env.PG_SERVER_URL ?? DEFAULT_PG_SERVER, "mmatlas_bench_atlas");

/** Child: one build over `images` images + images/2 texts; prints one JSON line with its figures. */
async function one(images: number) {
  const db = await openDatabase({ url });
  try {
    const { model } = await registerModelFromManifest(db.prisma, builtinModelDir());
    const name = `atlas-bench-${images}`;
    const dataset =
      (await db.prisma.dataset.findUnique({ where: { name } })) ??
      (await ingestShapesDataset(db.prisma, { name, seed: 5, images, texts: images / 2 }));
    const hooks = (
      await db.prisma.hookPoint.findMany({ where: { modelId: model.id, kind: { in: ["MLP", "ATTN_PATTERN"] } } })
    )
      .map((h) => h.name)
      .sort();
    const dictionaries = (await db.prisma.dictionary.findMany({ where: { modelId: model.id, architecture: "TOPK" } }))
      .map((d) => d.name)
      .sort();
    // scoreLabels: false keeps the measured build comparable (no follow-up SCORE_LABELS job is queued)
    const job = await createAtlasBuildJob(db.prisma, {
      modelId: model.id,
      datasetId: dataset.id,
      hooks,
      dictionaries,
      scoreLabels: false,
    });
    let pass: JobProgress | null = null;
    let peakHeap = 0;
    const sampler = setInterval(() => {
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }, 50);
    const t0 = performance.now();
    const done = await executeJob(db.prisma, job.id, {
      onProgress: (p) => {
        if (p.phase === "pass") pass = p;
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    if (done.status !== "SUCCEEDED") throw new Error(`build ${done.status}: ${done.error}`);
    const examples = images + images / 2;
    console.log(
      JSON.stringify({
        images,
        texts: images / 2,
        examples,
        hooks: hooks.length,
        saes: dictionaries.length,
        seconds: +seconds.toFixed(1),
        examplesPerSecond: +(examples / seconds).toFixed(1),
        passExamplesPerSecond: (pass as JobProgress | null)?.examplesPerSecond ?? null,
        peakRssMb: +(process.resourceUsage().maxRSS / 1024).toFixed(0),
        peakHeapMb: +(peakHeap / 2 ** 20).toFixed(0),
      }),
    );
  } finally {
    await db.close();
  }
}

async function main() {
  await ensureDatabase(url, new URL(url).pathname.slice(1));
  await migrateDatabase({ url });
  const before = machineContext();
  const rows: Row[] = [];
  for (const size of values.sizes!.split(",").map(Number)) {
    const child = spawnSync(
      path.join(REPO_ROOT, "node_modules", ".bin", "tsx"),
      ["--tsconfig", "tsconfig.base.json", "tools/bench/atlas.bench.ts", "--one", String(size), "--database-url", url],
      { cwd: REPO_ROOT, encoding: "utf8", maxBuffer: 64 * 2 ** 20 },
    );
    const line = child.stdout
      .trim()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .at(-1);
    if (child.status !== 0 || !line)
      throw new Error(`size ${size} failed (${child.status}):\n${child.stderr.slice(-3000)}`);
    rows.push(JSON.parse(line) as Row);
    printTable(`after ${size} images`, rows.slice(-1));
  }
  printTable("bench:atlas — build throughput and peak memory vs dataset size (one process per size)", rows);
  const rss = rows.map((r) => Number(r.peakRssMb));
  writeReport("atlas", {
    loadBefore: before.loadavg,
    rows,
    peakRssGrowth: +(Math.max(...rss) / Math.min(...rss)).toFixed(2),
    datasetGrowth: Number(rows.at(-1)!.examples) / Number(rows[0].examples),
  });
}

(values.one ? one(Number(values.one)) : main()).catch((e) => {
  console.error(e);
  process.exit(1);
});
