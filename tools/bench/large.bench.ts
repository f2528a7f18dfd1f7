// `npm run bench:large` — a CLIP of real ViT-B/32 geometry through the whole product, measured (issue 16 §2).
// The model: libs/model-zoo/scripts/hf-clip-fixture.py --vit-b-32 (HF module names, torch.onnx.export; 224 px,
// patch 32, 12×768, 12 heads, MLP 3072; text 12×512, 8 heads, vocab 49408, 77 tokens), deterministic random
// weights, generated once into artifacts/bench/vit-b-32/ (git-ignored, ≈1.2 GB with weights.pt) with the real CLIP
// tokenizer files. The dataset: tools/bench/lib/large-dataset.ts (224 px PNG scenes + captions), generated into
// artifacts/bench/large-data/n<N>/. Per size N (N examples: ⌈2N/3⌉ images + ⌊N/3⌋ captions) and per database
// (fresh PGlite folder; with --pg or BENCH_LARGE_PG=1 also a uniquely named PostgreSQL database, dropped after):
//   prep child:  migrate, `import model` (importHfClipModel), `import dataset` (importImageFolder + importTextJsonl)
//   build child: createAtlasBuildJob + executeJob over every MLP and attention-pattern hook of both towers (no SAE,
//                causalUnits 0: no causal effects), k 20 — its own process, so maxRSS is this build's peak.
// After the first build, side by side in one child: bare onnxruntime session.run of the plain exported graphs
// (onnx/vision_model.onnx, onnx/text_model.onnx), the library (runner.runPixels / runTokens with all those hooks)
// and the ceiling (a bare session of the stored graph with the hook tensors exposed), same batch and intra-op
// threads, paired rounds in rotating order, ratios = median of per-round ratios; then the PyTorch peer
// (tools/bench/large_peer.py: forward hooks on the same weights and hook points, copied to numpy; the median of
// BENCH_LARGE_ROUNDS passes over its images and BENCH_LARGE_TEXT_ROUNDS over its texts). Texts: the export
// leaves the sequence axis free, so the library runs a batch at its longest caption; the plain graph gets the same
// cut batch (and, for reference, all 77 positions), the peer cuts each batch to its longest row (TransformerLens'
// to_tokens padding; large_peer.py --pad max would run all 77).
// After each build, a plain child times the bare plain graphs again: a build's bare plain rate is the faster of that
// and the comparison's (bare_before / bare_after in the table). Other work on this shared machine only ever slows a
// measurement, so the faster one is nearer the machine's own speed, and pass ÷ bare the more conservative.
// Figures: build pass examples/s ÷ bare plain examples/s (goal ≥ 0.85), mmatlas ÷ PyTorch (goal ≥ 1.5), peak RSS
// per N, pass/probe/label/write seconds and the writes' share of the build's wall time (goal ≤ 25 %), units written.
// Prints a table, writes artifacts/bench/large.json.
// Settings (env): BENCH_LARGE_SIZES (default 200; the issue's 1000,5000,20000 take hours on 2 CPU cores),
//   BENCH_LARGE_BATCH (16), INFERENCE_THREADS (2; both the ORT sessions and torch.set_num_threads),
//   BENCH_LARGE_PROBE (probe examples per tower, product default 512), BENCH_LARGE_ROUNDS (3; texts
//   BENCH_LARGE_TEXT_ROUNDS, default 5 × that), BENCH_LARGE_INFERENCE_ONLY=1 (the comparison and the peer, no build),
//   BENCH_LARGE_CHECKPOINT_EVERY (build checkpoint every n batches; product default 1),
//   BENCH_LARGE_DATABASES=pglite,postgres (or --pg / BENCH_LARGE_PG=1 for both; PostgreSQL at PG_SERVER_URL, default postgresql://postgres@127.0.0.1:5432),
//   BENCH_LARGE_KEEP=1 (the PostgreSQL build of the last size is kept as database mmatlas_large_built, replacing
//   an earlier one, so its atlas can be browsed: browse-large.bench.ts --atlas built, bench:api -- --atlas built),
//   BUILD_ACCUMULATOR_WORKERS (passed through to the builds: "auto" by default, N, or 0 for the main thread),
//   INFERENCE_EP=cuda|webgpu (passed through; the EP used is reported), BENCH_LARGE_TORCH_BLAS (folder with a
//   libblas.so.3 for the peer; default artifacts/bench/openblas when present — Debian's torch otherwise runs on
//   the reference BLAS: apt-get download libopenblas0-pthread && dpkg-deb -x <deb> x &&
//   mv x/usr/lib/x86_64-linux-gnu/openblas-pthread artifacts/bench/openblas).
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { createAtlasBuildJob, executeJob, type JobProgress } from "@mmatlas/builder";
import { migrateDatabase, openDatabase, type DatabaseLocation } from "@mmatlas/db";
import {
  createRunner,
  createSessionWithFallback,
  decodeModel,
  encodeModel,
  exposeTensors,
  graphInputs,
  preprocessImages,
  requestedExecutionProvider,
  type Runner,
  type TokenizedText,
} from "@mmatlas/inference";
import { importHfClipModel, importImageFolder, importTextJsonl } from "@mmatlas/porting";
import * as ort from "onnxruntime-node";
import { writeLargeDataset } from "./lib/large-dataset";
import { DEFAULT_PG_SERVER, databaseUrl, ensureDatabase } from "./lib/pg-admin";
import { BUILT_ATLAS_DATABASE } from "./lib/built-atlas";
import { REPO_ROOT, machineContext, printTable, writeReport, type Row } from "./lib/report";

const { values } = parseArgs({
  options: { pg: { type: "boolean" }, child: { type: "string" }, arg: { type: "string" } },
});
const env = process.env;
const SIZES = (env.BENCH_LARGE_SIZES ?? "200")
  .split(",")
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n >= 3);
const BATCH = Number(env.BENCH_LARGE_BATCH ?? 16);
const THREADS = Number(env.INFERENCE_THREADS ?? 2) || 2;
const PROBE = Number(env.BENCH_LARGE_PROBE ?? 512);
const CHECKPOINT_EVERY = Number(env.BENCH_LARGE_CHECKPOINT_EVERY ?? 1); // the product's default: every batch
const ROUNDS = Number(env.BENCH_LARGE_ROUNDS ?? 3);
// a text batch at its longest caption takes ≈ 0.1 s: more rounds, so one GC pause does not decide the median
const TEXT_ROUNDS = Number(env.BENCH_LARGE_TEXT_ROUNDS ?? 5 * ROUNDS);
const INFERENCE_ONLY = env.BENCH_LARGE_INFERENCE_ONLY === "1";
const K = 20;
const USE_PG = values.pg === true || env.BENCH_LARGE_PG === "1";
/** databases to build in: BENCH_LARGE_DATABASES=pglite,postgres (default: pglite, plus postgres with --pg) */
const DATABASES = (env.BENCH_LARGE_DATABASES ?? (USE_PG ? "pglite,postgres" : "pglite"))
  .split(",")
  .map((d) => d.trim())
  .filter((d) => d === "pglite" || d === "postgres");
const PG_SERVER = env.PG_SERVER_URL ?? DEFAULT_PG_SERVER;
const BENCH_DIR = path.join(REPO_ROOT, "artifacts", "bench");
const MODEL_CACHE = path.join(BENCH_DIR, "vit-b-32");
const FIXTURE_SCRIPT = path.join(REPO_ROOT, "libs", "model-zoo", "scripts", "hf-clip-fixture.py");
const PEER_SCRIPT = path.join(REPO_ROOT, "tools", "bench", "large_peer.py");
const TOKENIZER = path.join(REPO_ROOT, "libs", "inference", "test", "fixtures", "clip-tokenizer");
const MODEL_NAME = "vit-b-32-bench";
/** BENCH_LARGE_KEEP=1: the last PostgreSQL build stays, as this database (tools/bench/lib/built-atlas.ts) */
const KEEP = env.BENCH_LARGE_KEEP === "1";
const PYTHON = env.BENCH_LARGE_PYTHON ?? "/usr/bin/python3";

const split = (n: number) => ({ images: n - Math.floor(n / 3), texts: Math.floor(n / 3) });
const datasetDir = (n: number) => path.join(BENCH_DIR, "large-data", `n${n}`);
const log = (m: string) => process.stderr.write(`[bench:large ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
const secs = (t0: number) => +((performance.now() - t0) / 1000).toFixed(1);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** examples/s of a mix of `images` and `texts` from the per-tower rates */
const mixRate = (images: number, texts: number, imagesPerS: number, textsPerS: number) =>
  (images + texts) / (images / imagesPerS + (texts ? texts / textsPerS : 0));

// ---------------------------------------------------------------- children (one job each, JSON on stdout) ----

interface ChildArg {
  n: number;
  location: DatabaseLocation;
  dataDir: string;
  modelDir?: string;
}

/** prep: migrate, import the model and the dataset the product's way (images + captions in one dataset). */
async function prepChild(a: ChildArg) {
  const t0 = performance.now();
  await migrateDatabase(a.location);
  const db = await openDatabase(a.location);
  try {
    const tm = performance.now();
    const r = await importHfClipModel(db.prisma, MODEL_CACHE, { name: MODEL_NAME, dataDir: a.dataDir });
    const modelSeconds = secs(tm);
    log(`model imported in ${modelSeconds}s: ${r.hookPoints} hook points; ${r.plan.weights.summary}`);
    const td = performance.now();
    const { imagesDir, captionsFile } = writeLargeDataset(datasetDir(a.n), split(a.n).images, split(a.n).texts);
    const name = `large-${a.n}`;
    const img = await importImageFolder(db.prisma, imagesDir, { name });
    const txt = await importTextJsonl(db.prisma, captionsFile, { name: `${name}-captions` });
    // The product imports an image folder and a JSONL file as two single-modality datasets; one build over both
    // towers needs one dataset (as the built-in shapes dataset is): the captions move behind the images.
    await db.prisma.example.updateMany({
      where: { datasetId: txt.dataset.id },
      data: { datasetId: img.dataset.id, index: { increment: img.examples } },
    });
    await db.prisma.dataset.delete({ where: { id: txt.dataset.id } });
    await db.prisma.dataset.update({
      where: { id: img.dataset.id },
      data: { modality: "IMAGE_TEXT", size: img.examples + txt.examples },
    });
    const datasetSeconds = secs(td);
    log(`dataset ${name} imported in ${datasetSeconds}s: ${img.examples} images + ${txt.examples} captions`);
    return {
      modelDir: r.directory,
      hookPoints: r.hookPoints,
      modelImportSeconds: modelSeconds,
      datasetImportSeconds: datasetSeconds,
      prepSeconds: secs(t0),
    };
  } finally {
    await db.close();
  }
}

/** build: one atlas build (all MLP + attention-pattern hooks of both towers, no SAE, causalUnits 0). */
async function buildChild(a: ChildArg) {
  const db = await openDatabase(a.location);
  try {
    const model = await db.prisma.model.findUniqueOrThrow({ where: { name: MODEL_NAME } });
    const dataset = await db.prisma.dataset.findUniqueOrThrow({ where: { name: `large-${a.n}` } });
    const hooks = (
      await db.prisma.hookPoint.findMany({ where: { modelId: model.id, kind: { in: ["MLP", "ATTN_PATTERN"] } } })
    )
      .map((h) => h.name)
      .sort();
    const job = await createAtlasBuildJob(db.prisma, {
      modelId: model.id,
      datasetId: dataset.id,
      hooks,
      dictionaries: [],
      k: K,
      batchSize: BATCH,
      probeSize: PROBE,
      causalUnits: 0,
      checkpointEvery: CHECKPOINT_EVERY,
      scoreLabels: false, // timings stay comparable: no follow-up SCORE_LABELS job
    });
    log(
      `build: ${hooks.length} hooks, ${dataset.size} examples, batch ${BATCH}, ${THREADS} threads, probe ${PROBE}, k ${K}, causalUnits 0, checkpoint every ${CHECKPOINT_EVERY} batches`,
    );
    let lastPass: JobProgress | null = null,
      phase = "",
      lastLog = 0;
    const t0 = performance.now();
    const done = await executeJob(db.prisma, job.id, {
      onProgress: (p) => {
        if (p.phase === "pass") lastPass = p;
        const now = performance.now();
        if (p.phase !== phase || now - lastLog > 30_000) {
          phase = p.phase;
          lastLog = now;
          log(
            `  ${secs(t0)}s ${p.phase} ${p.examplesDone}/${p.examplesTotal}${p.examplesPerSecond ? ` ${p.examplesPerSecond} ex/s` : ""}${p.etaSeconds ? ` eta ${p.etaSeconds}s` : ""}${p.message ? ` — ${p.message}` : ""}`,
          );
        }
      },
    });
    const wallSeconds = secs(t0);
    if (done.status !== "SUCCEEDED") throw new Error(`build ${done.status}: ${done.error}`);
    const metrics = done.metrics as {
      timings?: Record<string, number>;
      units?: number;
      examplesPerSecond?: number | null;
    };
    const t = metrics.timings ?? {};
    const byKind = await db.prisma.unit.groupBy({ by: ["kind"], where: { modelId: model.id }, _count: { _all: true } });
    const units = Object.fromEntries(byKind.map((g) => [g.kind, g._count._all]));
    return {
      examples: dataset.size,
      ...split(a.n),
      hooks: hooks.length,
      wallSeconds,
      passExamplesPerSecond: (lastPass as JobProgress | null)?.examplesPerSecond ?? metrics.examplesPerSecond ?? null,
      passSeconds: t.passSeconds ?? null,
      probeSeconds: t.probeSeconds ?? null,
      labelSeconds: t.labelSeconds ?? null,
      dissectionSeconds: t.dissectionSeconds ?? null,
      /** similar units (output-direction cosines, activation correlations) and the per-set UMAP maps */
      neighbourSeconds: t.neighbourSeconds != null ? +(t.neighbourSeconds + (t.mapSeconds ?? 0)).toFixed(1) : null,
      causalSeconds: t.causalSeconds ?? null,
      writeSeconds: t.writeSeconds ?? null,
      /** of writeSeconds: planner statistics after the writes (libs/builder finalize/refresh-statistics.ts) */
      statisticsSeconds: t.statisticsSeconds ?? null,
      writeShare: t.writeSeconds != null ? +(t.writeSeconds / wallSeconds).toFixed(3) : null,
      unitsWritten: Object.values(units).reduce((x, y) => x + y, 0),
      unitsByKind: units,
      buildUnits: metrics.units ?? null,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      /** the pass's seconds per step (`Job.metrics.timings.pass.*`; steps overlap, see PassProfile) */
      passSteps: Object.fromEntries(Object.entries(t).filter(([k]) => k.startsWith("pass."))),
    };
  } finally {
    await db.close();
  }
}

/** The bench's inputs: one batch of its images (preprocessed) and captions (tokenized; also cut to the longest row). */
function benchBatch(a: ChildArg, runner: Runner) {
  const m = runner.manifest;
  const { imagesDir, captionsFile } = writeLargeDataset(datasetDir(a.n), split(a.n).images, split(a.n).texts);
  const files = readdirSync(imagesDir)
    .filter((f) => f.endsWith(".png"))
    .sort();
  const B = BATCH,
    S = m.image!.preprocess.size,
    T = m.text!.seqLen;
  const pngs = Array.from({ length: B }, (_, i) => readFileSync(path.join(imagesDir, files[i % files.length])));
  const captions = readFileSync(captionsFile, "utf8")
    .trim()
    .split("\n")
    .map((l) => (JSON.parse(l) as { text: string }).text);
  const toks: TokenizedText[] = Array.from({ length: B }, (_, i) =>
    runner.tokenizer!.encode(captions[i % captions.length]),
  );
  const pixels = preprocessImages(pngs, m.image!.preprocess);
  const ids = BigInt64Array.from(
    toks.flatMap((t) => t.ids),
    (v) => BigInt(v),
  );
  // the batch at its longest row (<eos> included), as the library runs it on an export with a free sequence axis
  const L = Math.max(...toks.map((t) => t.eosPosition + 1));
  const idsCut = BigInt64Array.from(
    toks.flatMap((t) => t.ids.slice(0, L)),
    (v) => BigInt(v),
  );
  const pxFeed = (input: string) => ({ [input]: new ort.Tensor("float32", pixels, [B, 3, S, S]) });
  const idFeed = (input: string, length = L) => ({
    [input]: new ort.Tensor("int64", length === T ? ids : idsCut, [B, length]),
  });
  return { B, T, L, imagesDir, captions, toks, pixels, pxFeed, idFeed };
}

/** examples/s of one batch call */
async function timedBatch(B: number, f: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await f();
  return (B * 1000) / (performance.now() - t);
}

/** the plain exported graph of a tower in a bare session */
function plainSession(tower: "vision" | "text") {
  const ep = requestedExecutionProvider(undefined);
  const bytes = readFileSync(path.join(MODEL_CACHE, "onnx", `${tower}_model.onnx`));
  return createSessionWithFallback(bytes, ep, { intraOpNumThreads: THREADS }, (msg) => log(msg), `plain ${tower}`);
}

/**
 * plain: the bare plain graphs alone (medians of ROUNDS image and TEXT_ROUNDS text batches), run right after a build,
 * so its pass ÷ bare ratio has a baseline from next to its own window as well as the one from before the builds.
 */
async function plainChild(a: ChildArg) {
  const runner = await createRunner(a.modelDir!, { intraOpNumThreads: THREADS });
  const m = runner.manifest;
  const { B, pxFeed, idFeed } = benchBatch(a, runner);
  const [image, text] = [await plainSession("vision"), await plainSession("text")];
  const rate = async (f: () => Promise<unknown>, rounds: number) => {
    await f(); // warm-up
    const rates: number[] = [];
    for (let r = 0; r < rounds; r++) rates.push(await timedBatch(B, f));
    return median(rates);
  };
  const out = {
    image: await rate(() => image.session.run(pxFeed(m.image!.input)), ROUNDS),
    text: await rate(() => text.session.run(idFeed("input_ids")), TEXT_ROUNDS),
  };
  await Promise.all([image.session.release(), text.session.release(), runner.close()]);
  return out;
}

/** infer: plain vs library vs ceiling, same batch/threads/EP, paired rotating rounds; writes the peer's ids. */
async function inferChild(a: ChildArg) {
  const runner = await createRunner(a.modelDir!, { intraOpNumThreads: THREADS });
  const m = runner.manifest;
  const ep = requestedExecutionProvider(undefined);
  const hooksOf = (tower: "VISION" | "TEXT") =>
    runner
      .hookPoints(tower)
      .filter((h) => h.kind === "ATTN_PATTERN" || /^MLP/.test(h.kind))
      .map((h) => h.name);
  const vHooks = hooksOf("VISION"),
    tHooks = hooksOf("TEXT");
  const session = async (bytes: Uint8Array, label: string) =>
    createSessionWithFallback(bytes, ep, { intraOpNumThreads: THREADS }, (msg) => log(msg), label);
  const plainImage = await plainSession("vision");
  const plainText = await plainSession("text");
  const exposed = (file: string, tower: "VISION" | "TEXT", hooks: string[]) => {
    const g = decodeModel(readFileSync(path.join(a.modelDir!, file)), file);
    exposeTensors(
      g,
      runner
        .hookPoints(tower)
        .filter((h) => hooks.includes(h.name))
        .map((h) => h.tensor),
    );
    return encodeModel(g);
  };
  const ceilImage = await session(exposed(m.image!.onnx, "VISION", vHooks), "ceiling vision");
  const ceilText = await session(exposed(m.text!.onnx, "TEXT", tHooks), "ceiling text");
  const { B, T, L, imagesDir, captions, toks, pixels, pxFeed, idFeed } = benchBatch(a, runner);

  const timed = (f: () => Promise<unknown>) => timedBatch(B, f);
  const compare = async (tower: string, variants: Record<string, () => Promise<unknown>>, rounds = ROUNDS) => {
    const names = Object.keys(variants);
    for (const n of names) await variants[n](); // warm-up
    const rates: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
    for (let r = 0; r < rounds; r++) {
      const order = names.map((_, i) => names[(i + r) % names.length]);
      for (const n of order) rates[n].push(await timed(variants[n]));
      log(
        `  ${tower} round ${r + 1}/${rounds}: ${names.map((n) => `${n} ${rates[n].at(-1)!.toFixed(2)}/s`).join(", ")}`,
      );
    }
    const ratio = (n: string) => median(rates[n].map((x, i) => x / rates.plain[i]));
    return {
      plain: median(rates.plain),
      library: median(rates.library),
      ceiling: median(rates.ceiling),
      libraryRatio: ratio("library"),
      ceilingRatio: ratio("ceiling"),
      ...(rates.plainFull ? { plainFull: median(rates.plainFull) } : {}),
      ...(rates.libraryPadded ? { libraryPadded: median(rates.libraryPadded) } : {}),
    };
  };
  log(`inference comparison: batch ${B}, ${THREADS} threads, EP ${plainImage.ep}, ${ROUNDS} rounds`);
  const image = await compare("vision", {
    plain: () => plainImage.session.run(pxFeed(m.image!.input)),
    library: () => runner.runPixels(pixels, vHooks, { batchSize: B }),
    ceiling: () => ceilImage.session.run(pxFeed(m.image!.input)),
  });
  log(`text batch: ${L} of ${T} positions (its longest caption, <eos> included)`);
  const text = await compare(
    "text",
    {
      plain: () => plainText.session.run(idFeed("input_ids")),
      // at the batch's longest row, as the build's pass and probe read texts (no padding back to 77 positions)
      library: () => runner.runTokens(toks, tHooks, { batchSize: B, textPositions: "longest" }),
      libraryPadded: () => runner.runTokens(toks, tHooks, { batchSize: B }), // padded back to 77, for reference
      ceiling: () => ceilText.session.run(idFeed(m.text!.input)),
      plainFull: () => plainText.session.run(idFeed("input_ids", T)), // all 77 positions, for reference
    },
    TEXT_ROUNDS,
  );
  // the peer's token ids (the model's own tokenizer.json through the product's tokenizer), int32 n × seqLen
  const peer = split(Math.min(a.n, 3 * B));
  const peerIds = Int32Array.from(
    Array.from({ length: peer.texts }, (_, i) => runner.tokenizer!.encode(captions[i % captions.length]).ids).flat(),
  );
  const idsFile = path.join(a.dataDir, "peer-ids.bin");
  writeFileSync(idsFile, Buffer.from(peerIds.buffer));
  await Promise.all([
    plainImage.session.release(),
    plainText.session.release(),
    ceilImage.session.release(),
    ceilText.session.release(),
    runner.close(),
  ]);
  return {
    ep: plainImage.ep,
    batch: B,
    threads: THREADS,
    rounds: ROUNDS,
    visionHooks: vHooks.length,
    textHooks: tHooks.length,
    image,
    text,
    textPositions: { batch: L, full: T },
    peer: { ...peer, idsFile, imagesDir },
  };
}

// ---------------------------------------------------------------- parent ----

function runChild<T>(phase: string, arg: ChildArg, dataDir: string): T {
  const tsx = path.join(REPO_ROOT, "node_modules", ".bin", "tsx");
  const child = spawnSync(
    tsx,
    ["--tsconfig", "tsconfig.base.json", "tools/bench/large.bench.ts", "--child", phase, "--arg", JSON.stringify(arg)],
    {
      cwd: REPO_ROOT,
      env: { ...env, DATA_DIR: dataDir, INFERENCE_THREADS: String(THREADS) },
      encoding: "utf8",
      maxBuffer: 64 * 2 ** 20,
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const line = (child.stdout ?? "")
    .trim()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .at(-1);
  if (child.status !== 0 || !line)
    throw new Error(
      `${phase} (N=${arg.n}) failed with exit ${child.status}${child.signal ? ` (${child.signal})` : ""}; stdout tail:\n${(child.stdout ?? "").slice(-2000)}`,
    );
  return JSON.parse(line) as T;
}

function ensureModel(): void {
  const need = [
    "config.json",
    "preprocessor_config.json",
    "onnx/vision_model.onnx",
    "onnx/text_model.onnx",
    "weights.pt",
    "tokenizer.json",
  ];
  const textOnnx = path.join(MODEL_CACHE, "onnx", "text_model.onnx");
  // a cache from before the export left the sequence axis free (as Optimum's exports do) is generated again
  const freeSequence = () =>
    typeof graphInputs(decodeModel(readFileSync(textOnnx), textOnnx)).find((i) => i.name === "input_ids")?.dims?.[1] !==
    "number";
  if (need.every((f) => existsSync(path.join(MODEL_CACHE, f))) && freeSequence()) return;
  const t0 = performance.now();
  log(`generating the ViT-B/32-geometry model into ${path.relative(REPO_ROOT, MODEL_CACHE)} (≈1 min, ≈1.2 GB) ...`);
  rmSync(MODEL_CACHE, { recursive: true, force: true });
  const r = spawnSync(PYTHON, [FIXTURE_SCRIPT, MODEL_CACHE, "--vit-b-32", "--no-reference", "--save-weights"], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (r.status !== 0)
    throw new Error(
      `hf-clip-fixture.py failed (exit ${r.status}); it needs ${PYTHON} with torch (Debian python3-torch)`,
    );
  for (const f of ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"])
    cpSync(path.join(TOKENIZER, f), path.join(MODEL_CACHE, f));
  log(`model generated in ${secs(t0)}s`);
}

function peerBlasDir(): string | null {
  const dir = env.BENCH_LARGE_TORCH_BLAS ?? path.join(BENCH_DIR, "openblas");
  return existsSync(path.join(dir, "libblas.so.3")) ? dir : null;
}

function runPeer(images: number, texts: number, imagesDir: string, idsFile: string) {
  const blas = peerBlasDir();
  const r = spawnSync(
    PYTHON,
    [
      PEER_SCRIPT,
      "--model",
      MODEL_CACHE,
      "--images",
      imagesDir,
      "--image-count",
      String(images),
      "--ids",
      idsFile,
      "--texts",
      String(texts),
      "--batch",
      String(BATCH),
      "--pad",
      "longest", // text batches cut to their longest row, as the library runs them (TransformerLens' to_tokens)
      "--threads",
      String(THREADS),
      "--rounds", // the median of as many passes as the library's comparison runs
      String(ROUNDS),
      "--text-rounds",
      String(TEXT_ROUNDS),
    ],
    {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 2 ** 20,
      env: { ...env, ...(blas ? { LD_LIBRARY_PATH: [blas, env.LD_LIBRARY_PATH].filter(Boolean).join(":") } : {}) },
    },
  );
  const line = (r.stdout ?? "")
    .trim()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .at(-1);
  if (r.status !== 0 || !line) throw new Error(`PyTorch peer failed (exit ${r.status}):\n${r.stdout}`);
  return JSON.parse(line) as {
    imagesPerSecond: number;
    textsPerSecond: number;
    examplesPerSecond: number;
    blas: string;
    hooksPerTower: number;
  };
}

async function dropDatabase(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl(PG_SERVER, "postgres") });
  await client.connect();
  try {
    await client.query(`drop database if exists ${name} with (force)`);
  } finally {
    await client.end();
  }
}

type Infer = Awaited<ReturnType<typeof inferChild>>;

function printInference(i: Infer, p: ReturnType<typeof runPeer>): void {
  const rows: Row[] = (["image", "text"] as const).map((tw) => ({
    tower: tw,
    plain_per_s: +i[tw].plain.toFixed(2),
    library_per_s: +i[tw].library.toFixed(2),
    library_ratio: +i[tw].libraryRatio.toFixed(3),
    ceiling_per_s: +i[tw].ceiling.toFixed(2),
    ceiling_ratio: +i[tw].ceilingRatio.toFixed(3),
    torch_per_s: +(tw === "image" ? p.imagesPerSecond : p.textsPerSecond).toFixed(2),
    plain_all_positions_per_s: tw === "text" && i.text.plainFull !== undefined ? +i.text.plainFull.toFixed(2) : "",
    library_padded_per_s: tw === "text" && i.text.libraryPadded !== undefined ? +i.text.libraryPadded.toFixed(2) : "",
  }));
  printTable(
    `inference at batch ${i.batch}, ${i.threads} threads, EP ${i.ep} (${i.visionHooks} vision + ${i.textHooks} text hooks; texts at ${i.textPositions.batch} of ${i.textPositions.full} positions, the batch's longest caption; ratios = median of per-round ratios to plain; ceiling = bare session of the hook-exposing graph; library texts at their longest row as the build reads them, library_padded padded back to all positions)`,
    rows,
  );
}
type Build = Awaited<ReturnType<typeof buildChild>>;

async function main() {
  const started = performance.now();
  const before = machineContext();
  log(
    `sizes ${SIZES.join(", ")} examples; batch ${BATCH}; ${THREADS} threads; databases: ${DATABASES.join(", ")}; INFERENCE_EP=${env.INFERENCE_EP ?? "cpu"}`,
  );
  ensureModel();
  for (const n of SIZES) {
    const t = performance.now();
    writeLargeDataset(datasetDir(n), split(n).images, split(n).texts);
    log(`dataset n${n} ready (${secs(t)}s)`);
  }
  const rows: Row[] = [];
  const builds: (Build & { database: string; prep: unknown; plainAfter: { image: number; text: number } })[] = [];
  let infer: Infer | null = null,
    peer: ReturnType<typeof runPeer> | null = null;
  for (const database of DATABASES) {
    for (const n of SIZES) {
      const work = mkdtempSync(path.join(os.tmpdir(), "bench-large-"));
      const dataDir = path.join(work, "data");
      const keep = KEEP && database === "postgres" && n === SIZES[SIZES.length - 1];
      const pgName = keep ? BUILT_ATLAS_DATABASE : `mmatlas_bench_large_${process.pid}_${n}`;
      if (keep) await dropDatabase(pgName);
      const location: DatabaseLocation =
        database === "pglite" ? { pgliteDir: path.join(work, "pglite") } : { url: databaseUrl(PG_SERVER, pgName) };
      if (database === "postgres") await ensureDatabase(PG_SERVER, pgName);
      try {
        let t = performance.now();
        log(`[${database} N=${n}] prep: migrate, import model, import dataset ...`);
        const prep = runChild<Awaited<ReturnType<typeof prepChild>>>("prep", { n, location, dataDir }, dataDir);
        log(`[${database} N=${n}] prep done in ${secs(t)}s`);
        if (!infer) {
          t = performance.now();
          log(`inference comparison (plain / library / ceiling), before the build ...`);
          infer = runChild<Infer>("infer", { n, location, dataDir, modelDir: prep.modelDir }, dataDir);
          log(
            `inference comparison done in ${secs(t)}s; PyTorch peer (${infer.peer.images} images + ${infer.peer.texts} texts) ...`,
          );
          t = performance.now();
          peer = runPeer(infer.peer.images, infer.peer.texts, infer.peer.imagesDir, infer.peer.idsFile);
          log(`PyTorch peer done in ${secs(t)}s (BLAS: ${peer.blas})`);
          printInference(infer, peer);
          writeReport("large", {
            partial: "inference comparison and peer only (no build finished yet)",
            inference: infer,
            peer,
          });
        }
        if (INFERENCE_ONLY) break;
        t = performance.now();
        log(`[${database} N=${n}] build ...`);
        const b = runChild<Build>("build", { n, location, dataDir }, dataDir);
        log(
          `[${database} N=${n}] build done in ${secs(t)}s: ${b.unitsWritten} units, pass ${b.passExamplesPerSecond} ex/s, peak RSS ${b.peakRssMb} MB`,
        );
        t = performance.now();
        const after = runChild<Awaited<ReturnType<typeof plainChild>>>(
          "plain",
          { n, location, dataDir, modelDir: prep.modelDir },
          dataDir,
        );
        log(
          `[${database} N=${n}] bare plain after the build: images ${after.image.toFixed(2)}/s, texts ${after.text.toFixed(2)}/s (${secs(t)}s)`,
        );
        builds.push({ ...b, database, prep, plainAfter: after });
        // the baseline brackets the build: the plain rate measured before the builds and the one right after this
        // one; the faster of the two (a disturbed window is only ever slower)
        const beforeMix = mixRate(b.images, b.texts, infer.image.plain, infer.text.plain);
        const afterMix = mixRate(b.images, b.texts, after.image, after.text);
        const plainMix = Math.max(beforeMix, afterMix);
        rows.push({
          database,
          examples: b.examples,
          wall_s: b.wallSeconds,
          pass_ex_s: b.passExamplesPerSecond,
          bare_before_ex_s: +beforeMix.toFixed(2),
          bare_after_ex_s: +afterMix.toFixed(2),
          bare_plain_ex_s: +plainMix.toFixed(2),
          pass_vs_bare: b.passExamplesPerSecond ? +(b.passExamplesPerSecond / plainMix).toFixed(3) : null,
          vs_torch:
            b.passExamplesPerSecond && peer ? +(b.passExamplesPerSecond / peer.examplesPerSecond).toFixed(2) : null,
          pass_s: b.passSeconds,
          probe_s: b.probeSeconds,
          label_s: b.labelSeconds,
          dissect_s: b.dissectionSeconds,
          near_s: b.neighbourSeconds,
          write_s: b.writeSeconds,
          write_share: b.writeShare,
          units: b.unitsWritten,
          peak_rss_mb: b.peakRssMb,
        });
        printTable(`after ${database} N=${n}`, rows.slice(-1));
      } finally {
        rmSync(work, { recursive: true, force: true });
        if (keep) log(`kept the build in database ${pgName}: browse it with browse-large.bench.ts --atlas built`);
        else if (database === "postgres")
          await dropDatabase(pgName).catch((e: Error) => log(`could not drop ${pgName}: ${e.message}`));
      }
    }
  }
  const i = infer!,
    p = peer!;
  printTable(
    "bench:large — ViT-B/32-geometry CLIP: atlas build (all MLP + attention-pattern hooks of both towers, no SAE, causalUnits 0, k 20)",
    rows,
  );
  printInference(i, p);
  const first = rows[0];
  console.log(
    `\nPyTorch peer: ${p.examplesPerSecond.toFixed(2)} examples/s (${p.hooksPerTower} hooks/tower, torch threads ${THREADS}, BLAS ${p.blas})`,
  );
  if (!first) {
    console.log(`no build (BENCH_LARGE_INFERENCE_ONLY=1); total bench time ${secs(started)}s`);
    return; // the report of the comparison and the peer is written above
  }
  console.log(
    `build pass ÷ bare plain session.run: ${first.pass_vs_bare} (goal ≥ 0.85; ceiling: hooks exposed, bare ORT = images ${i.image.ceilingRatio.toFixed(3)}, texts ${i.text.ceilingRatio.toFixed(3)})`,
  );
  console.log(`mmatlas build pass ÷ PyTorch hooks: ${first.vs_torch} (goal ≥ 1.5)`);
  console.log(
    `writes' share of build wall time: ${rows.map((r) => `${r.database} N=${r.examples}: ${r.write_share}`).join(", ")} (goal ≤ 0.25)`,
  );
  console.log(`total bench time ${secs(started)}s`);
  writeReport("large", {
    loadBefore: before.loadavg,
    settings: {
      sizes: SIZES,
      checkpointEvery: CHECKPOINT_EVERY,
      batch: BATCH,
      threads: THREADS,
      probeSize: PROBE,
      k: K,
      causalUnits: 0,
      rounds: ROUNDS,
      ep: i.ep,
      databases: DATABASES,
      // passed through to the builds (libs/builder accumulatorWorkers: "auto" = min(4, cores) workers at this size)
      accumulatorWorkers: env.BUILD_ACCUMULATOR_WORKERS || "auto",
    },
    model: {
      name: MODEL_NAME,
      geometry:
        "CLIP ViT-B/32 (224 px, patch 32, 12×768, 12 heads, MLP 3072; text 12×512, 8 heads, vocab 49408, 77 tokens), random weights",
      folder: path.relative(REPO_ROOT, MODEL_CACHE),
    },
    rows,
    builds,
    inference: i,
    peer: p,
    goals: { passVsBare: 0.85, vsTorch: 1.5, writeShare: 0.25 },
    method:
      "build pass examples/s from the job's progress (frozen at the end of the pass); bare plain/library/ceiling: one batch per call, rounds in rotating order, medians; plain examples/s of the build's image:text mix from the per-tower medians, the faster of the comparison before the builds and a plain-only measurement right after each build (bare_before / bare_after); PyTorch peer: forward hooks copying to numpy, preprocessing outside its clock, medians of its passes",
  });
}

async function child(phase: string, a: ChildArg) {
  const out =
    phase === "prep"
      ? await prepChild(a)
      : phase === "build"
        ? await buildChild(a)
        : phase === "infer"
          ? await inferChild(a)
          : phase === "plain"
            ? await plainChild(a)
            : null;
  if (!out) throw new Error(`unknown child phase ${phase}`);
  console.log(JSON.stringify(out));
}

(values.child ? child(values.child, JSON.parse(values.arg!) as ChildArg) : main()).catch((e) => {
  console.error(e);
  process.exit(1);
});
