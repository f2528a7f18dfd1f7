// Benchmark: images/s and texts/s for plain onnxruntime session.run vs @mmatlas/inference with 3 hooks + SAE
// encode (in-graph), at batch 1/16/64. Prints a table, writes bench-results/inference.json, and checks that the
// library keeps ≥ 0.8 of plain throughput at batch 64. Uses the built-in model when present, else the test fixture.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as ort from "onnxruntime-node";
import { PNG } from "pngjs";
import { createRunner, preprocessImages, writeSafetensors, type Runner, type TokenizedText } from "../src";
import { prng, writeFixtureModel, D } from "../test/fixtures/tiny-clip";

const ROOT = resolve(__dirname, "../../..");
const BUILTIN = join(ROOT, "libs/model-zoo/assets/clip-shapes");
const BATCHES = [1, 16, 64];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 250);
const THREADS = Number(process.env.INFERENCE_THREADS ?? 0) || undefined;

function fixtureModelWithSae(): string {
  const dir = writeFixtureModel((m) => { m.saes = [{ name: "vision.resid_post.relu", path: "saes/v", hookPoint: "vision.blocks.0.hook_resid_post" },
    { name: "text.resid_post.relu", path: "saes/t", hookPoint: "text.blocks.0.hook_resid_post" }]; });
  const r = prng(7);
  for (const [sub, hook] of [["v", "vision.blocks.0.hook_resid_post"], ["t", "text.blocks.0.hook_resid_post"]]) {
    const dSae = 8 * D;
    const rand = (n: number) => Float32Array.from({ length: n }, () => r() * 0.3);
    mkdirSync(join(dir, "saes", sub), { recursive: true });
    writeFileSync(join(dir, "saes", sub, "sae_weights.safetensors"), writeSafetensors({
      W_enc: { shape: [D, dSae], data: rand(D * dSae) }, W_dec: { shape: [dSae, D], data: rand(dSae * D) },
      b_enc: { shape: [dSae], data: rand(dSae) }, b_dec: { shape: [D], data: rand(D) },
    }));
    writeFileSync(join(dir, "saes", sub, "cfg.json"), JSON.stringify({ d_in: D, d_sae: dSae, architecture: "standard", apply_b_dec_to_input: true, metadata: { hook_name: hook } }));
  }
  return dir;
}

/** Throughput (items/s) of `fn` over repeated calls for ~ms milliseconds. */
async function throughput(fn: () => Promise<unknown>, items: number, ms: number): Promise<number> {
  let n = 0;
  const t0 = performance.now();
  do { await fn(); n++; } while (performance.now() - t0 < ms);
  return (n * items * 1000) / (performance.now() - t0);
}
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

/** Interleaves plain and library rounds so CPU noise from other processes hits both alike. */
async function compare(plain: () => Promise<unknown>, lib: () => Promise<unknown>, items: number) {
  for (let i = 0; i < 3; i++) { await plain(); await lib(); }
  const p: number[] = [], l: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    p.push(await throughput(plain, items, ROUND_MS));
    l.push(await throughput(lib, items, ROUND_MS));
  }
  return { plain: median(p), library: median(l) };
}

function pickHooks(runner: Runner, tower: "VISION" | "TEXT", saeHook: string): string[] {
  const hooks = runner.hookPoints(tower).map((h) => h.name);
  const ordered = [saeHook, ...hooks.filter((h) => h.endsWith("mlp.hook_post")).reverse(), ...hooks.filter((h) => h.endsWith("hook_resid_post")), ...hooks];
  return [...new Set(ordered)].slice(0, 3);
}

async function main() {
  const override = process.env.BENCH_MODEL_DIR;
  const builtin = !override && existsSync(join(BUILTIN, "model.json")) && existsSync(join(BUILTIN, "image.onnx"));
  const dir = override ? resolve(override) : builtin ? BUILTIN : fixtureModelWithSae();
  const modelLabel = override ? `model folder ${dir} (BENCH_MODEL_DIR)` : builtin ? "clip-shapes (built-in, libs/model-zoo)" : "tiny-clip test fixture (built-in model assets not found)";
  console.log(`model: ${modelLabel}`);
  const runner = await createRunner(dir, { intraOpNumThreads: THREADS });
  const m = runner.manifest;
  // prefer a TopK SAE (its k strongest features are its whole output, so it runs in sparse mode)
  const saeFor = (tower: "VISION" | "TEXT") => {
    const names = m.saes.map((s) => s.name).filter((n) => runner.saeHook(n).tower === tower);
    return names.find((n) => runner.sae(n).cfg.architecture === "topk") ?? names[0];
  };
  const visionSae = saeFor("VISION"), textSae = saeFor("TEXT");
  if (!visionSae || !textSae) throw new Error("benchmark needs one vision and one text SAE in the manifest");
  const modeOf = (name: string) => (runner.sae(name).cfg.architecture === "topk" ? { saeOutput: "sparse" as const } : {});
  const vHooks = pickHooks(runner, "VISION", runner.saeHook(visionSae).name);
  const tHooks = pickHooks(runner, "TEXT", runner.saeHook(textSae).name);
  const sessionOpts: ort.InferenceSession.SessionOptions = { executionProviders: ["cpu"], graphOptimizationLevel: "all", ...(THREADS ? { intraOpNumThreads: THREADS } : {}) };
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
  const texts = Array.from({ length: 64 }, (_, i) => Array.from({ length: 1 + (i % (m.text!.seqLen - 1)) }, (_, j) => vocab[(i * 7 + j * 3) % vocab.length]).join(" "));
  const tokenized: TokenizedText[] = texts.map((t) => runner.tokenizer!.encode(t));

  const rows: Record<string, unknown>[] = [];
  for (const B of BATCHES) {
    const pixels = preprocessImages(pngs.slice(0, B), m.image!.preprocess);
    const shape = [B, 3, size, size];
    const img = await compare(
      () => plainImage.run({ [m.image!.input]: new ort.Tensor("float32", pixels, shape) }),
      () => runner.runPixels(pixels, vHooks, { saes: [visionSae], batchSize: B, ...modeOf(visionSae) }), B);
    const toks = tokenized.slice(0, B);
    const ids = BigInt64Array.from(toks.flatMap((t) => t.ids), (v) => BigInt(v));
    const txt = await compare(
      () => plainText.run({ [m.text!.input]: new ort.Tensor("int64", ids, [B, m.text!.seqLen]) }),
      () => runner.runTokens(toks, tHooks, { saes: [textSae], batchSize: B, ...modeOf(textSae) }), B);
    rows.push({ batch: B, images_per_s_plain: img.plain, images_per_s_library: img.library, image_ratio: img.library / img.plain,
      texts_per_s_plain: txt.plain, texts_per_s_library: txt.library, text_ratio: txt.library / txt.plain });
  }

  // context figures (not part of the ratio): preprocessing and the pure-JS SAE encoder
  const prep = await throughput(async () => preprocessImages(pngs, m.image!.preprocess), 64, 500);
  const acts = (await runner.runPixels(preprocessImages(pngs, m.image!.preprocess), [runner.saeHook(visionSae).name])).hooks[runner.saeHook(visionSae).name];
  const saeObj = runner.sae(visionSae);
  const jsEncodeImages = await throughput(async () => saeObj.encode(acts.data), 64, 500);

  const fmt = (x: unknown) => (typeof x === "number" ? (Number.isInteger(x) ? String(x) : x < 10 ? x.toFixed(3) : x.toFixed(0)) : String(x));
  const saeLabel = (n: string) => `SAE ${n} (${runner.sae(n).cfg.architecture}, d_sae ${runner.sae(n).dSae}, ${modeOf(n).saeOutput ?? "dense"} output, encoded in-graph)`;
  console.log(`\nhooks (vision): ${vHooks.join(", ")} + ${saeLabel(visionSae)}`);
  console.log(`hooks (text):   ${tHooks.join(", ")} + ${saeLabel(textSae)}`);
  console.log(`threads: ${THREADS ?? "onnxruntime default"}, rounds: ${ROUNDS} × ${ROUND_MS} ms (median)\n`);
  const cols = ["batch", "images_per_s_plain", "images_per_s_library", "image_ratio", "texts_per_s_plain", "texts_per_s_library", "text_ratio"];
  console.log(cols.map((c) => c.padStart(c === "batch" ? 5 : 20)).join(" "));
  for (const row of rows) console.log(cols.map((c) => fmt(row[c]).padStart(c === "batch" ? 5 : 20)).join(" "));
  console.log(`\npreprocess (PNG decode + resize + normalize): ${prep.toFixed(0)} images/s`);
  console.log(`pure-JS Sae.encode of ${visionSae} on the hook activations: ${jsEncodeImages.toFixed(0)} images/s (${saeObj.dIn}→${saeObj.dSae}, ${acts.dims.slice(1).join("×")} per image)`);

  const at64 = rows.find((x) => x.batch === 64)!;
  const pass = (at64.image_ratio as number) >= 0.8 && (at64.text_ratio as number) >= 0.8;
  console.log(`\nratio at batch 64: images ${fmt(at64.image_ratio)}, texts ${fmt(at64.text_ratio)} → ${pass ? "PASS" : "FAIL"} (target ≥ 0.8)`);
  mkdirSync(join(ROOT, "bench-results"), { recursive: true });
  writeFileSync(join(ROOT, "bench-results/inference.json"), JSON.stringify({
    benchmark: "inference", model: modelLabel, builtinModel: builtin, date: new Date().toISOString(), node: process.version,
    onnxruntime: ort.env.versions, threads: THREADS ?? "default", rounds: ROUNDS, roundMs: ROUND_MS,
    visionHooks: vHooks, visionSae, textHooks: tHooks, textSae, saeOutput: { [visionSae]: modeOf(visionSae).saeOutput ?? "dense", [textSae]: modeOf(textSae).saeOutput ?? "dense" }, rows,
    context: { preprocessImagesPerS: prep, jsSaeEncodeImagesPerS: jsEncodeImages },
    target: { batch: 64, minRatio: 0.8 }, pass,
  }, null, 2));
  console.log("wrote bench-results/inference.json");
  await runner.close();
  await plainImage.release();
  await plainText.release();
  if (!pass) process.exitCode = 1;
}

main().catch((e) => { console.error(e); process.exit(1); });
