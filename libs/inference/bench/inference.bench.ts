// Benchmark: images/s and texts/s for plain onnxruntime session.run vs @mmatlas/inference with 3 hooks (one of each
// kind: the SAE's residual stream, an MLP output, an attention pattern) + SAE encode (in-graph), at batch 1/16/64. Prints a table, writes artifacts/bench/inference.json (with `uptime`: the
// machine is shared), and checks that the library keeps ≥ 0.8 of plain throughput at batch 64. Uses the committed
// built-in model and its trained SAEs when present, else the test fixture.
// Fairness: both sides get the same preprocessed pixels / token ids, the same session options and thread count,
// warm-up calls, and paired rounds in alternating order (plain→library, library→plain, ...) so that load from
// other processes hits both alike; the ratio is the median of the per-pair ratios (medians of each side shown too).
import { execSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join, resolve } from "node:path";
import * as ort from "onnxruntime-node";
import { PNG } from "pngjs";
import {
  createRunner,
  decodeModel,
  encodeModel,
  exposeTensors,
  preprocessImages,
  writeSafetensors,
  type Runner,
  type TokenizedText,
} from "../src";
import { appendSaeEncoder } from "../src/onnx";
import { prng, writeFixtureModel, D } from "../test/fixtures/tiny-clip";

const ROOT = resolve(__dirname, "../../..");
const BUILTIN = join(ROOT, "libs/model-zoo/assets/clip-shapes");
const BATCHES = [1, 16, 64];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 250);
/** intra-op threads for BOTH sides: INFERENCE_THREADS, default 1 (0 = onnxruntime's default). On the shared 2-core
 *  machine, onnxruntime's default (one spinning thread per core) is slower for both sides and far noisier. */
const THREADS = process.env.INFERENCE_THREADS === "0" ? undefined : Number(process.env.INFERENCE_THREADS ?? 1) || 1;
const uptime = () => {
  try {
    return execSync("uptime", { encoding: "utf8" }).trim();
  } catch {
    return `loadavg ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}`;
  }
};

function fixtureModelWithSae(): string {
  const dir = writeFixtureModel((m) => {
    m.saes = [
      { name: "vision.resid_post.relu", path: "saes/v", hookPoint: "vision.blocks.0.hook_resid_post" },
      { name: "text.resid_post.relu", path: "saes/t", hookPoint: "text.blocks.0.hook_resid_post" },
    ];
  });
  const r = prng(7);
  for (const [sub, hook] of [
    ["v", "vision.blocks.0.hook_resid_post"],
    ["t", "text.blocks.0.hook_resid_post"],
  ]) {
    const dSae = 8 * D;
    const rand = (n: number) => Float32Array.from({ length: n }, () => r() * 0.3);
    mkdirSync(join(dir, "saes", sub), { recursive: true });
    writeFileSync(
      join(dir, "saes", sub, "sae_weights.safetensors"),
      writeSafetensors({
        W_enc: { shape: [D, dSae], data: rand(D * dSae) },
        W_dec: { shape: [dSae, D], data: rand(dSae * D) },
        b_enc: { shape: [dSae], data: rand(dSae) },
        b_dec: { shape: [D], data: rand(D) },
      }),
    );
    writeFileSync(
      join(dir, "saes", sub, "cfg.json"),
      JSON.stringify({
        d_in: D,
        d_sae: dSae,
        architecture: "standard",
        apply_b_dec_to_input: true,
        metadata: { hook_name: hook },
      }),
    );
  }
  return dir;
}

/** Throughput (items/s) of `fn` over repeated calls for ~ms milliseconds. */
async function throughput(fn: () => Promise<unknown>, items: number, ms: number): Promise<number> {
  return (await measure(fn, items, ms)).wall;
}

/** Items/s by wall clock and by this process's CPU time (the latter is far less sensitive to other processes' load). */
async function measure(fn: () => Promise<unknown>, items: number, ms: number): Promise<{ wall: number; cpu: number }> {
  let n = 0;
  const t0 = performance.now(),
    c0 = process.cpuUsage();
  do {
    await fn();
    n++;
  } while (performance.now() - t0 < ms);
  const c = process.cpuUsage(c0);
  return {
    wall: (n * items * 1000) / (performance.now() - t0),
    cpu: (n * items * 1e6) / Math.max(1, c.user + c.system),
  };
}
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

/** Paired rounds in alternating order so CPU noise from other processes hits both alike. */
async function compare(plain: () => Promise<unknown>, lib: () => Promise<unknown>, items: number) {
  for (let i = 0; i < 5; i++) {
    await plain();
    await lib();
  }
  const p: number[] = [],
    l: number[] = [],
    ratios: number[] = [],
    cpuRatios: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let a: { wall: number; cpu: number }, b: { wall: number; cpu: number };
    if (r % 2 === 0) {
      a = await measure(plain, items, ROUND_MS);
      b = await measure(lib, items, ROUND_MS);
    } else {
      b = await measure(lib, items, ROUND_MS);
      a = await measure(plain, items, ROUND_MS);
    }
    p.push(a.wall);
    l.push(b.wall);
    ratios.push(b.wall / a.wall);
    cpuRatios.push(b.cpu / a.cpu);
  }
  return { plain: median(p), library: median(l), ratio: median(ratios), cpuRatio: median(cpuRatios) };
}

/** The target's 3 hooks: one of each kind the issue names — the SAE's own hook (a residual stream), the last
 *  block's MLP output and its attention pattern — filled up from the other hooks when a kind is missing. */
function pickHooks(runner: Runner, tower: "VISION" | "TEXT", saeHook: string): string[] {
  const hooks = runner.hookPoints(tower).map((h) => h.name);
  const last = (suffix: string) => hooks.filter((h) => h.endsWith(suffix)).slice(-1);
  return [...new Set([saeHook, ...last("mlp.hook_post"), ...last("attn.hook_pattern"), ...hooks])].slice(0, 3);
}

/** Context: the 3 hooks with the most values per example (the SAE's hook and the widest others, here every MLP
 *  output): the most output onnxruntime-node must copy into JavaScript per call. */
function widestHooks(runner: Runner, tower: "VISION" | "TEXT", saeHook: string): string[] {
  const size = (shape: (number | string)[]) => shape.reduce<number>((a, d) => a * (typeof d === "number" ? d : 1), 1);
  const others = runner
    .hookPoints(tower)
    .filter((h) => h.name !== saeHook)
    .sort((a, b) => size(b.shape) - size(a.shape));
  return [saeHook, ...others.map((h) => h.name)].slice(0, 3);
}

/** glibc malloc settings of tools/lib/malloc-tuning.mjs in this process's environment (npm run bench:inference sets them). */
const MALLOC_ENV = ["MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_"];
const mallocTuning = Object.fromEntries(
  MALLOC_ENV.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]]),
);

async function main() {
  const override = process.env.BENCH_MODEL_DIR;
  const builtin = !override && existsSync(join(BUILTIN, "model.json")) && existsSync(join(BUILTIN, "image.onnx"));
  const dir = override ? resolve(override) : builtin ? BUILTIN : fixtureModelWithSae();
  const modelLabel = override
    ? `model folder ${dir} (BENCH_MODEL_DIR)`
    : builtin
      ? "clip-shapes (built-in, libs/model-zoo)"
      : "tiny-clip test fixture (built-in model assets not found)";
  console.log(`model: ${modelLabel}`);
  const runner = await createRunner(dir, { intraOpNumThreads: THREADS });
  const m = runner.manifest;
  const loadBefore = uptime();
  // the target uses a ReLU SAE with its full dense output (every feature at every position); a TopK SAE in sparse
  // output is measured as context (onnxruntime's TopK kernel costs more than the encoder GEMM on this small model)
  const saeFor = (tower: "VISION" | "TEXT") => {
    const names = m.saes.map((s) => s.name).filter((n) => runner.saeHook(n).tower === tower);
    return names.find((n) => runner.sae(n).cfg.architecture !== "topk") ?? names[0];
  };
  const visionSae = saeFor("VISION"),
    textSae = saeFor("TEXT");
  if (!visionSae || !textSae) throw new Error("benchmark needs one vision and one text SAE in the manifest");
  const modeOf = (name: string) =>
    runner.sae(name).cfg.architecture === "topk" ? { saeOutput: "sparse" as const } : { saeOutput: "dense" as const };
  const vHooks = pickHooks(runner, "VISION", runner.saeHook(visionSae).name);
  const tHooks = pickHooks(runner, "TEXT", runner.saeHook(textSae).name);
  const sessionOpts: ort.InferenceSession.SessionOptions = {
    executionProviders: ["cpu"],
    graphOptimizationLevel: "all",
    ...(THREADS ? { intraOpNumThreads: THREADS } : {}),
  };
  const plainImage = await ort.InferenceSession.create(join(dir, m.image!.onnx), sessionOpts);
  const plainText = await ort.InferenceSession.create(join(dir, m.text!.onnx), sessionOpts);

  const size = m.image!.preprocess.size;
  const r = prng(1);
  const pngs = Array.from({ length: 64 }, () => {
    const p = new PNG({ width: size, height: size });
    for (let i = 0; i < p.data.length; i++) p.data[i] = i % 4 === 3 ? 255 : Math.floor((r() + 1) * 127.5);
    return PNG.sync.write(p);
  });
  const vocab = (m.text!.tokenizer as { vocab?: string[] }).vocab ?? ["a"];
  const texts = Array.from({ length: 64 }, (_, i) =>
    Array.from({ length: 1 + (i % (m.text!.seqLen - 1)) }, (_, j) => vocab[(i * 7 + j * 3) % vocab.length]).join(" "),
  );
  const tokenized: TokenizedText[] = texts.map((t) => runner.tokenizer!.encode(t));

  const rows: Record<string, unknown>[] = [];
  for (const B of BATCHES) {
    const pixels = preprocessImages(pngs.slice(0, B), m.image!.preprocess);
    const shape = [B, 3, size, size];
    const img = await compare(
      () => plainImage.run({ [m.image!.input]: new ort.Tensor("float32", pixels, shape) }),
      () => runner.runPixels(pixels, vHooks, { saes: [visionSae], batchSize: B, ...modeOf(visionSae) }),
      B,
    );
    const toks = tokenized.slice(0, B);
    const ids = BigInt64Array.from(
      toks.flatMap((t) => t.ids),
      (v) => BigInt(v),
    );
    const txt = await compare(
      () => plainText.run({ [m.text!.input]: new ort.Tensor("int64", ids, [B, m.text!.seqLen]) }),
      () => runner.runTokens(toks, tHooks, { saes: [textSae], batchSize: B, ...modeOf(textSae) }),
      B,
    );
    rows.push({
      batch: B,
      images_per_s_plain: img.plain,
      images_per_s_library: img.library,
      image_ratio: img.ratio,
      texts_per_s_plain: txt.plain,
      texts_per_s_library: txt.library,
      text_ratio: txt.ratio,
      image_cpu_ratio: img.cpuRatio,
      text_cpu_ratio: txt.cpuRatio,
    });
  }

  // ceiling (context): plain session.run vs a bare onnxruntime session of the SAME rewritten graph (3 hooks exposed +
  // SAE appended, same options), no library code: the share of plain throughput onnxruntime itself keeps when it
  // must also produce and copy out the hook tensors and SAE features
  const rewritten = async (onnxFile: string, hooks: string[], saeName: string) => {
    const model = decodeModel(readFileSync(join(dir, onnxFile)), onnxFile);
    exposeTensors(model, hooks);
    appendSaeEncoder(
      model,
      runner.saeHook(saeName).tensor,
      runner.sae(saeName),
      "sae_features",
      runner.sae(saeName).cfg.architecture === "topk"
        ? { kind: "sparse", k: runner.sae(saeName).cfg.k! }
        : { kind: "dense" },
    );
    return ort.InferenceSession.create(encodeModel(model), sessionOpts);
  };
  const ceiling: Record<string, unknown> = {};
  {
    const B = 64;
    const rawImage = await rewritten(m.image!.onnx, vHooks, visionSae),
      rawText = await rewritten(m.text!.onnx, tHooks, textSae);
    const pixels = preprocessImages(pngs.slice(0, B), m.image!.preprocess);
    const ids = BigInt64Array.from(
      tokenized.slice(0, B).flatMap((t) => t.ids),
      (v) => BigInt(v),
    );
    const img = await compare(
      () => plainImage.run({ [m.image!.input]: new ort.Tensor("float32", pixels, [B, 3, size, size]) }),
      () => rawImage.run({ [m.image!.input]: new ort.Tensor("float32", pixels, [B, 3, size, size]) }),
      B,
    );
    const txt = await compare(
      () => plainText.run({ [m.text!.input]: new ort.Tensor("int64", ids, [B, m.text!.seqLen]) }),
      () => rawText.run({ [m.text!.input]: new ort.Tensor("int64", ids, [B, m.text!.seqLen]) }),
      B,
    );
    Object.assign(ceiling, {
      batch: B,
      images_per_s_plain: img.plain,
      images_per_s_library: img.library,
      image_ratio: img.ratio,
      image_cpu_ratio: img.cpuRatio,
      texts_per_s_plain: txt.plain,
      texts_per_s_library: txt.library,
      text_ratio: txt.ratio,
      text_cpu_ratio: txt.cpuRatio,
    });
    await rawImage.release();
    await rawText.release();
  }

  /** One batch-64 comparison outside the target: these hooks and SAEs (image, text) in this SAE output mode. */
  const contextAt64 = async (vh: string[], th: string[], vSae: string, tSae: string, saeOutput: "dense" | "sparse") => {
    const B = 64;
    const pixels = preprocessImages(pngs.slice(0, B), m.image!.preprocess);
    const toks = tokenized.slice(0, B);
    const ids = BigInt64Array.from(
      toks.flatMap((t) => t.ids),
      (v) => BigInt(v),
    );
    const img = await compare(
      () => plainImage.run({ [m.image!.input]: new ort.Tensor("float32", pixels, [B, 3, size, size]) }),
      () => runner.runPixels(pixels, vh, { saes: [vSae], batchSize: B, saeOutput }),
      B,
    );
    const txt = await compare(
      () => plainText.run({ [m.text!.input]: new ort.Tensor("int64", ids, [B, m.text!.seqLen]) }),
      () => runner.runTokens(toks, th, { saes: [tSae], batchSize: B, saeOutput }),
      B,
    );
    return {
      batch: B,
      visionSae: vSae,
      textSae: tSae,
      visionHooks: vh,
      textHooks: th,
      images_per_s_plain: img.plain,
      images_per_s_library: img.library,
      image_ratio: img.ratio,
      texts_per_s_plain: txt.plain,
      texts_per_s_library: txt.library,
      text_ratio: txt.ratio,
      image_cpu_ratio: img.cpuRatio,
      text_cpu_ratio: txt.cpuRatio,
    } as Record<string, unknown>;
  };

  // context: 3 hooks with a TopK SAE in sparse output (its k strongest features per position)
  const topkFor = (tower: "VISION" | "TEXT") =>
    m.saes
      .map((x) => x.name)
      .find((n) => runner.saeHook(n).tower === tower && runner.sae(n).cfg.architecture === "topk");
  const vTopk = topkFor("VISION"),
    tTopk = topkFor("TEXT");
  const denseRelu: Record<string, unknown> =
    vTopk && tTopk
      ? await contextAt64(
          pickHooks(runner, "VISION", runner.saeHook(vTopk).name),
          pickHooks(runner, "TEXT", runner.saeHook(tTopk).name),
          vTopk,
          tTopk,
          "sparse",
        )
      : {};
  // context: the target's SAEs with the widest 3 hooks instead of one of each kind
  const widest = await contextAt64(
    widestHooks(runner, "VISION", runner.saeHook(visionSae).name),
    widestHooks(runner, "TEXT", runner.saeHook(textSae).name),
    visionSae,
    textSae,
    modeOf(visionSae).saeOutput,
  );

  // context figures (not part of the ratio): preprocessing and the pure-JS SAE encoder
  const prep = await throughput(async () => preprocessImages(pngs, m.image!.preprocess), 64, 500);
  const acts = (await runner.runPixels(preprocessImages(pngs, m.image!.preprocess), [runner.saeHook(visionSae).name]))
    .hooks[runner.saeHook(visionSae).name];
  const saeObj = runner.sae(visionSae);
  const jsEncodeImages = await throughput(async () => saeObj.encode(acts.data), 64, 500);

  const fmt = (x: unknown) =>
    typeof x === "number" ? (Number.isInteger(x) ? String(x) : x < 10 ? x.toFixed(3) : x.toFixed(0)) : String(x);
  const saeLabel = (n: string) =>
    `SAE ${n} (${runner.sae(n).cfg.architecture}, d_sae ${runner.sae(n).dSae}, ${modeOf(n).saeOutput ?? "dense"} output, encoded in-graph)`;
  console.log(`\nhooks (vision): ${vHooks.join(", ")} + ${saeLabel(visionSae)}`);
  console.log(`hooks (text):   ${tHooks.join(", ")} + ${saeLabel(textSae)}`);
  console.log(`threads: ${THREADS ?? "onnxruntime default"}, rounds: ${ROUNDS} × ${ROUND_MS} ms (median)`);
  console.log(
    `glibc malloc tuning: ${
      Object.keys(mallocTuning).length
        ? Object.entries(mallocTuning)
            .map(([k, v]) => `${k}=${v}`)
            .join(" ")
        : "none (glibc defaults; npm run bench:inference sets it)"
    }\n`,
  );
  const cols = [
    "batch",
    "images_per_s_plain",
    "images_per_s_library",
    "image_ratio",
    "image_cpu_ratio",
    "texts_per_s_plain",
    "texts_per_s_library",
    "text_ratio",
    "text_cpu_ratio",
  ];
  const width = (c: string) => (c === "batch" ? 5 : c.endsWith("ratio") ? 15 : 20);
  console.log(cols.map((c) => c.padStart(width(c))).join(" "));
  for (const row of rows) console.log(cols.map((c) => fmt(row[c]).padStart(width(c))).join(" "));
  console.log(
    `${cols.map((c) => (c === "batch" ? "64°" : fmt(ceiling[c])).padStart(width(c))).join(" ")}\n   ° "library" columns = bare onnxruntime session of the same rewritten graph (no library code): the ceiling`,
  );
  console.log(
    `${cols.map((c) => (c === "batch" ? "64†" : fmt(widest[c])).padStart(width(c))).join(" ")}\n   † widest 3 hooks instead: ${String(widest.visionHooks)} / ${String(widest.textHooks)}, same SAEs (context, not the target)`,
  );
  if (denseRelu.batch)
    console.log(
      `${cols.map((c) => (c === "batch" ? "64*" : fmt(denseRelu[c])).padStart(width(c))).join(" ")}\n   * same hooks with TopK SAEs ${String(denseRelu.visionSae)} / ${String(denseRelu.textSae)} in sparse output (context, not the target)`,
    );
  const loadAfter = uptime();
  console.log(`\nload before: ${loadBefore}\nload after:  ${loadAfter}`);
  console.log(`\npreprocess (PNG decode + resize + normalize): ${prep.toFixed(0)} images/s`);
  console.log(
    `pure-JS Sae.encode of ${visionSae} on the hook activations: ${jsEncodeImages.toFixed(0)} images/s (${saeObj.dIn}→${saeObj.dSae}, ${acts.dims.slice(1).join("×")} per image)`,
  );

  const at64 = rows.find((x) => x.batch === 64)!;
  const pass = (at64.image_ratio as number) >= 0.8 && (at64.text_ratio as number) >= 0.8;
  console.log(
    `\nratio at batch 64: images ${fmt(at64.image_ratio)}, texts ${fmt(at64.text_ratio)} → ${pass ? "PASS" : "FAIL"} (target ≥ 0.8)`,
  );
  mkdirSync(join(ROOT, "artifacts", "bench"), { recursive: true });
  writeFileSync(
    join(ROOT, "artifacts/bench/inference.json"),
    JSON.stringify(
      {
        benchmark: "inference",
        model: modelLabel,
        builtinModel: builtin,
        date: new Date().toISOString(),
        node: process.version,
        onnxruntime: ort.env.versions,
        threads: THREADS ?? "default",
        rounds: ROUNDS,
        roundMs: ROUND_MS,
        mallocTuning,
        method:
          "same session options + threads, warm-up, paired rounds in alternating order; throughput = median of rounds; ratio = median of per-pair library/plain ratios (wall clock; *_cpu_ratio: the same by process CPU time)",
        machine: {
          cpus: os.cpus().length,
          cpuModel: os.cpus()[0]?.model,
          uptimeBefore: loadBefore,
          uptimeAfter: loadAfter,
        },
        visionHooks: vHooks,
        visionSae,
        textHooks: tHooks,
        textSae,
        saeOutput: {
          [visionSae]: modeOf(visionSae).saeOutput ?? "dense",
          [textSae]: modeOf(textSae).saeOutput ?? "dense",
        },
        rows,
        context: {
          preprocessImagesPerS: prep,
          jsSaeEncodeImagesPerS: jsEncodeImages,
          topkSparseSaeBatch64: denseRelu,
          widestHooksBatch64: widest,
          bareOrtRewrittenGraphBatch64: ceiling,
        },
        target: { batch: 64, minRatio: 0.8 },
        pass,
      },
      null,
      2,
    ),
  );
  console.log("wrote artifacts/bench/inference.json");
  await runner.close();
  await plainImage.release();
  await plainText.release();
  if (!pass) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
