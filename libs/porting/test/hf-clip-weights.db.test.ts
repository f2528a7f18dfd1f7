// The TransformerLens-named weights `import model <hf-folder>` reads out of the ONNX graphs (hf-clip/extract-weights),
// checked against values computed without it: fixtures/hf-clip-tiny/reference-weights.safetensors, the same weights
// mapped in PyTorch from the modules by libs/model-zoo/scripts/hf-clip-fixture.py (transposes and head splits
// included), on the named graphs, with every name stripped, and from the joint graph; then numerically: the PyTorch
// forward-hook activations are reproduced from the extracted weights alone (embeddings → layer 0 → layer 1 → ln_final
// → proj = the model's embeddings); an unreadable layer leaves its tower out and says so while the import succeeds;
// and an atlas build of the imported model gets text-alignment labels, which it does not without the weights.
// Quantized graphs (fixtures/quantize-onnx: onnxruntime's dynamic MatMulInteger pattern, its fused
// DynamicQuantizeMatMul, int8 DequantizeLinear weights) give the same weights dequantized, within half a
// quantization step, run through the runner, and get text-alignment labels too. A half-precision export
// (fixtures/float16-onnx: what convert_float_to_float16 writes) imports widened to float32.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as ort from "onnxruntime-node";
import { createAtlasBuildJob, executeJob } from "@mmatlas/builder";
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { createRunner, decodeModel, encodeModel, readSafetensors, type DecodedTensor } from "@mmatlas/inference";
import { importHfClipModel, importImageFolder, planHfClipImport } from "../src";
import { HF_CLIP_FIXTURE as FIXTURE, hfClipReference, hfClipWorkspace } from "./fixtures/hf-clip-workspace";
import { toFloat16Onnx } from "./fixtures/float16-onnx";
import { quantizeOnnx, type QuantizeOptions } from "./fixtures/quantize-onnx";

jest.setTimeout(300_000);
const { ref, refMeta } = hfClipReference();
const refWeights = readSafetensors(path.join(FIXTURE, "reference-weights.safetensors")).tensors;
const workspace = hfClipWorkspace("hf-clip-weights-");
const { root: tmp, dataDir, hfFolder } = workspace;
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
  workspace.remove();
});

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

type Weights = Record<string, { shape: number[]; data: Float32Array }>;

/** Every reference tensor equals the extracted one, shape and values (bit-exact: both are the stored floats). */
function expectReferenceWeights(w: Weights): void {
  const names = Object.keys(refWeights).map((n) => (n === "text.embed.W_E.rows0-255" ? "text.embed.W_E" : n));
  expect(Object.keys(w).sort()).toEqual(names.sort());
  for (const [name, r] of Object.entries(refWeights)) {
    if (name === "text.embed.W_E.rows0-255") {
      const full = w["text.embed.W_E"];
      expect(full.shape).toEqual([49408, 8]);
      expect([name, maxDiff(full.data.subarray(0, r.data.length), r.data)]).toEqual([name, 0]);
      continue;
    }
    expect([name, w[name].shape]).toEqual([name, r.shape]);
    expect([name, maxDiff(w[name].data, r.data)]).toEqual([name, 0]);
  }
}

/** TransformerLens names whose values come from a MatMul weight (quantized in the quantized fixtures). */
const fromMatMulWeight = (name: string) => /\.(attn\.W_[QKVO]|mlp\.W_(in|out)|proj)$/.test(name);

/**
 * The weights of a quantized graph: the same names and shapes as the reference; tensors of MatMul weights within half
 * a quantization step of it (the per-tensor step bounds the per-column ones), or float16's relative rounding error
 * (2^-11), every other tensor bit-exact.
 */
/** the embedding tables quantize_dynamic quantizes by default (GatherQuant tables, the ConvInteger patch kernel) */
const fromEmbedding = (name: string) => /\.(embed\.W_E|pos_embed\.W_pos)$/.test(name);

function expectDequantizedWeights(
  w: Weights,
  float: Weights,
  stored: "uint8" | "int8" | "fp16" | "uint4" | "int4",
  embeddingsQuantized = false,
): void {
  expect(Object.keys(w).sort()).toEqual(Object.keys(float).sort());
  for (const [name, exact] of Object.entries(float)) {
    expect([name, w[name].shape]).toEqual([name, exact.shape]);
    const diff = maxDiff(w[name].data, exact.data);
    if (!fromMatMulWeight(name) && !(embeddingsQuantized && fromEmbedding(name))) {
      expect([name, diff]).toEqual([name, 0]);
      continue;
    }
    let lo = 0,
      hi = 0;
    for (const v of exact.data) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    // half a step of the coarsest scale (4-bit blocks: a block's range is within the tensor's; asymmetric blocks
    // round their zero point too, so a whole step there)
    const bound = {
      fp16: Math.max(-lo, hi) * 2 ** -11,
      int8: Math.max(-lo, hi) / 127 / 2,
      uint8: (hi - lo) / 255 / 2,
      int4: Math.max(-lo, hi) / 7 / 2,
      uint4: (hi - lo) / 15,
    }[stored];
    expect([name, diff > 0, diff <= bound + 1e-7]).toEqual([name, true, true]);
  }
}

const planned = (p: Awaited<ReturnType<typeof planHfClipImport>>): Weights =>
  Object.fromEntries([...p.weights.tensors].map(([k, t]) => [k, { shape: t.shape, data: t.read() }]));

/** Renames every node and tensor except the graph inputs/outputs (as in hf-clip-import.db.test.ts). */
function stripNames(dir: string): void {
  let next = 0;
  for (const f of readdirSync(path.join(dir, "onnx"))) {
    const file = path.join(dir, "onnx", f);
    const m = decodeModel(readFileSync(file));
    const keep = new Set(["pixel_values", "input_ids", "image_embeds", "text_embeds", "last_hidden_state"]);
    const names = new Map<string, string>();
    const rename = (t: string) =>
      !t || keep.has(t) ? t : (names.get(t) ?? (names.set(t, `t${next++}`), names.get(t)!));
    for (const n of m.graph!.node!) {
      n.name = "";
      n.input = n.input!.map(rename);
      n.output = n.output!.map(rename);
    }
    for (const t of m.graph!.initializer!) t.name = rename(t.name!);
    writeFileSync(file, encodeModel(m));
  }
}

/** Computes the `k`-th MatMul weight of shape `dims` through Neg(Neg(W)): same model, weight no longer a constant. */
function hideWeight(file: string, dims: number[], k: number): void {
  const m = decodeModel(readFileSync(file));
  const g = m.graph!;
  const inits = new Map(g.initializer!.map((t) => [t.name!, (t.dims ?? []).map(Number)]));
  const at = g.node!.filter(
    (n) => n.opType === "MatMul" && JSON.stringify(inits.get(n.input![1])) === JSON.stringify(dims),
  )[k];
  const w = at.input![1];
  const index = g.node!.indexOf(at);
  g.node!.splice(
    index,
    0,
    { opType: "Neg", input: [w], output: [`${w}.neg`], name: "", attribute: [] } as never,
    { opType: "Neg", input: [`${w}.neg`], output: [`${w}.negneg`], name: "", attribute: [] } as never,
  );
  at.input![1] = `${w}.negneg`;
  writeFileSync(file, encodeModel(m));
}

// --- numerics on the extracted weights alone (TransformerLens conventions) ---

function layerNorm(x: Float32Array, rows: number, d: number, w: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(rows * d);
  for (let r = 0; r < rows; r++) {
    const v = x.subarray(r * d, (r + 1) * d);
    const mean = v.reduce((s, a) => s + a, 0) / d;
    const varc = v.reduce((s, a) => s + (a - mean) ** 2, 0) / d;
    for (let i = 0; i < d; i++) out[r * d + i] = ((v[i] - mean) / Math.sqrt(varc + 1e-5)) * w[i] + b[i];
  }
  return out;
}

/** One transformer block: x [T, d] → (resid_post [T, d], pattern [H, T, T]). */
function block(w: Weights, pre: string, x: Float32Array, T: number, causal: boolean) {
  const [H, d, dh] = w[`${pre}.attn.W_Q`].shape;
  const g = (n: string) => w[`${pre}.${n}`].data;
  const ln1 = layerNorm(x, T, d, g("ln1.w"), g("ln1.b"));
  const proj = (W: Float32Array, b: Float32Array) => {
    const out = new Float32Array(H * T * dh); // [H, T, dh]
    for (let h = 0; h < H; h++)
      for (let t = 0; t < T; t++)
        for (let j = 0; j < dh; j++) {
          let s = b[h * dh + j];
          for (let i = 0; i < d; i++) s += ln1[t * d + i] * W[(h * d + i) * dh + j];
          out[(h * T + t) * dh + j] = s;
        }
    return out;
  };
  const q = proj(g("attn.W_Q"), g("attn.b_Q")),
    k = proj(g("attn.W_K"), g("attn.b_K")),
    v = proj(g("attn.W_V"), g("attn.b_V"));
  const pattern = new Float32Array(H * T * T);
  const mid = Float32Array.from(x);
  const WO = g("attn.W_O"),
    bO = g("attn.b_O");
  for (let t = 0; t < T; t++) for (let o = 0; o < d; o++) mid[t * d + o] += bO[o];
  for (let h = 0; h < H; h++)
    for (let t = 0; t < T; t++) {
      const sc = new Float64Array(T);
      for (let s = 0; s < T; s++) {
        let dot = 0;
        for (let j = 0; j < dh; j++) dot += q[(h * T + t) * dh + j] * k[(h * T + s) * dh + j];
        sc[s] = causal && s > t ? -Infinity : dot / Math.sqrt(dh);
      }
      const mx = Math.max(...sc);
      const e = sc.map((a) => Math.exp(a - mx));
      const sum = e.reduce((a, b) => a + b, 0);
      for (let s = 0; s < T; s++) pattern[(h * T + t) * T + s] = e[s] / sum;
      for (let j = 0; j < dh; j++) {
        let z = 0;
        for (let s = 0; s < T; s++) z += pattern[(h * T + t) * T + s] * v[(h * T + s) * dh + j];
        for (let o = 0; o < d; o++) mid[t * d + o] += z * WO[(h * dh + j) * d + o];
      }
    }
  const ln2 = layerNorm(mid, T, d, g("ln2.w"), g("ln2.b"));
  const [, m] = w[`${pre}.mlp.W_in`].shape;
  const Win = g("mlp.W_in"),
    bin = g("mlp.b_in"),
    Wout = g("mlp.W_out"),
    bout = g("mlp.b_out");
  const out = Float32Array.from(mid);
  for (let t = 0; t < T; t++) {
    for (let o = 0; o < d; o++) out[t * d + o] += bout[o];
    for (let n = 0; n < m; n++) {
      let a = bin[n];
      for (let i = 0; i < d; i++) a += ln2[t * d + i] * Win[i * m + n];
      const act = a / (1 + Math.exp(-1.702 * a)); // quick_gelu
      for (let o = 0; o < d; o++) out[t * d + o] += act * Wout[n * d + o];
    }
  }
  return { resid: out, pattern };
}

/** ln_final then proj of one residual row. */
function readOut(w: Weights, tower: string, row: Float32Array): Float32Array {
  const [d, e] = w[`${tower}.proj`].shape;
  const ln = layerNorm(row, 1, d, w[`${tower}.ln_final.w`].data, w[`${tower}.ln_final.b`].data);
  const out = new Float32Array(e);
  for (let o = 0; o < e; o++) for (let i = 0; i < d; i++) out[o] += ln[i] * w[`${tower}.proj`].data[i * e + o];
  return out;
}

const example = (t: DecodedTensor, i: number) => {
  const per = t.data.length / t.shape[0];
  return t.data.subarray(i * per, (i + 1) * per);
};

it("the extracted weights equal PyTorch's TransformerLens mapping: named graphs, names stripped, joint graph", async () => {
  const named = await planHfClipImport(hfFolder("named"));
  expect(named.weights.summary).toBe(
    "weights: vision 2/2 layers + read-out + embeddings, text 2/2 layers + read-out + embeddings → weights.safetensors (77 tensors, 0.42M values)",
  );
  expect(named.manifest).toMatchObject({ weights: "weights.safetensors" });
  expectReferenceWeights(planned(named));
  expect(named.weights.towers.vision.tensors.get("vision.blocks.0.attn.W_Q")!.shape).toEqual([4, 32, 8]);

  const stripped = await planHfClipImport(hfFolder("stripped", stripNames));
  expect(stripped.weights.summary).toBe(named.weights.summary);
  expectReferenceWeights(planned(stripped)); // nothing found by names: all by structure

  const joint = await planHfClipImport(hfFolder("joint", undefined, true));
  expect(joint.weights.summary).toBe(named.weights.summary);
  expectReferenceWeights(planned(joint));
});

const QUANTIZED: QuantizeOptions[] = [
  { format: "dynamic" },
  { format: "dynamic", perColumn: true, allMatMuls: true },
  { format: "fused", perColumn: true },
  { format: "qdq", perColumn: true },
  { format: "fp16" },
  { format: "nbits" },
  { format: "nbits", signed: true },
  { format: "dynamic", embeddings: true },
];
let quantizedName: string;

it("quantized graphs give their weights dequantized (dynamic uint8 per tensor / per column, fused, int8 DequantizeLinear), float16 ones widened", async () => {
  const float = planned(await planHfClipImport(hfFolder("float"))); // = the reference (first test)
  for (const opts of QUANTIZED) {
    const label = `q-${opts.format}${opts.perColumn ? "-col" : ""}${opts.allMatMuls ? "-all" : ""}${opts.signed ? "-sym" : ""}${opts.embeddings ? "-emb" : ""}`;
    const dir = hfFolder(label, (d) => {
      for (const t of ["vision_model", "text_model"])
        quantizeOnnx(path.join(d, "onnx", `${t}.onnx`), path.join(d, "onnx", `${t}_quantized.onnx`), opts);
    });
    const r = await importHfClipModel(db.prisma, dir, { dataDir, quantized: true, name: label });
    expect([label, r.plan.weights.summary]).toEqual([
      label,
      "weights: vision 2/2 layers + read-out + embeddings, text 2/2 layers + read-out + embeddings → weights.safetensors (77 tensors, 0.42M values)",
    ]);
    expectDequantizedWeights(
      readSafetensors(path.join(r.directory, "weights.safetensors")).tensors as Weights,
      float,
      opts.format === "nbits"
        ? opts.signed
          ? "int4"
          : "uint4"
        : opts.format === "qdq"
          ? "int8"
          : opts.format === "fp16"
            ? "fp16"
            : "uint8",
      Boolean(opts.embeddings),
    );
    // the quantized graph itself runs: its image embeddings stay near PyTorch's float ones
    const runner = await createRunner(r.directory, { intraOpNumThreads: 1 });
    try {
      const out = await runner.runPixels(ref.pixel_values.data, []);
      const scale = Math.max(...Array.from(ref.image_embeds.data, Math.abs));
      const tolerance = opts.format === "nbits" ? 0.4 : 0.15; // 4-bit weights move them further (0.18 / 0.26 seen)
      expect([label, maxDiff(out.embeds.data, ref.image_embeds.data) / scale < tolerance]).toEqual([label, true]);
    } finally {
      await runner.close();
    }
    if (!opts.perColumn) quantizedName = r.model.name;
  }
});

it("--dtype fp16 (convert_float_to_float16 with keep_io_types) imports widened to float32: float16 weights, hooks near PyTorch's, embeddings near onnxruntime's own float16 run", async () => {
  const float = planned(await planHfClipImport(hfFolder("float-for-fp16")));
  const dir = hfFolder("tiny-clip-fp16", (d) => {
    for (const t of ["vision_model", "text_model"])
      toFloat16Onnx(path.join(d, "onnx", `${t}.onnx`), path.join(d, "onnx", `${t}_fp16.onnx`));
  });
  const r = await importHfClipModel(db.prisma, dir, { dataDir, dtype: "fp16" });
  expect(r.plan.precision).toMatch(
    /^precision: float16 parts widened to float32 \(\d+ in the vision graph, \d+ in the text graph\)/,
  );
  expect((r.plan.manifest as unknown as { source: unknown }).source).toMatchObject({
    dtype: "fp16",
    quantized: false,
    widenedToFloat32: true,
    onnx: { vision: "onnx/vision_model_fp16.onnx", text: "onnx/text_model_fp16.onnx" },
  });
  // the stored graphs hold no float16 any more: no float16 initializer, constant or Cast
  for (const f of readdirSync(path.join(r.directory, "onnx"))) {
    const g = decodeModel(readFileSync(path.join(r.directory, "onnx", f))).graph!;
    const half = [
      ...g.initializer!.filter((t) => Number(t.dataType) === 10).map((t) => t.name),
      ...g
        .node!.filter((n) =>
          n.attribute?.some((a) => Number(a.t?.dataType) === 10 || (n.opType === "Cast" && Number(a.i) === 10)),
        )
        .map((n) => n.name),
    ];
    expect([f, half]).toEqual([f, []]);
  }
  // every weight is its float value rounded to float16: within 2⁻¹¹ of the tensor's largest value (1e-7 for the
  // tiny values the converter flushes)
  const w = readSafetensors(path.join(r.directory, "weights.safetensors")).tensors as Weights;
  expect(Object.keys(w).sort()).toEqual(Object.keys(float).sort());
  let rounded = 0;
  for (const [name, exact] of Object.entries(float)) {
    const top = exact.data.reduce((m: number, v: number) => Math.max(m, Math.abs(v)), 0);
    const diff = maxDiff(w[name].data, exact.data);
    if (diff > 0) rounded++;
    expect([name, diff <= top * 2 ** -11 + 1e-7]).toEqual([name, true]);
  }
  expect(rounded).toBeGreaterThan(Object.keys(float).length / 2);
  // hooks near PyTorch's float32 ones; the image embeddings near what onnxruntime computes in float16 itself
  const runner = await createRunner(r.directory, { intraOpNumThreads: 1 });
  const session = await ort.InferenceSession.create(path.join(dir, "onnx", "vision_model_fp16.onnx"));
  try {
    const hooks = runner.manifest.hookPoints.filter((h) => h.tower === "VISION").map((h) => h.name);
    const out = await runner.runPixels(ref.pixel_values.data, hooks);
    for (const name of [...hooks, "image_embeds"]) {
      const got = name === "image_embeds" ? out.embeds.data : out.hooks[name].data;
      const scale = Math.max(...Array.from(ref[name].data, Math.abs));
      expect([name, maxDiff(got, ref[name].data) / scale < 0.01]).toEqual([name, true]);
    }
    const half = await session.run({
      pixel_values: new ort.Tensor("float32", ref.pixel_values.data, ref.pixel_values.shape),
    });
    const halfEmbeds = half.image_embeds.data as Float32Array;
    const scale = Math.max(...Array.from(halfEmbeds, Math.abs));
    expect(maxDiff(out.embeds.data, halfEmbeds) / scale).toBeLessThan(0.01);
  } finally {
    await session.release();
    await runner.close();
  }
  // the joint CLIPModel graph in half precision: split into towers, then widened, the same weights
  const joint = hfFolder(
    "tiny-clip-joint-fp16",
    (d) => toFloat16Onnx(path.join(d, "onnx", "model.onnx"), path.join(d, "onnx", "model_fp16.onnx")),
    true,
  );
  const jointPlan = await planHfClipImport(joint, { dtype: "fp16" });
  expect(jointPlan.precision).toMatch(/^precision: float16 parts widened to float32/);
  const jointWeights = planned(jointPlan);
  for (const [name, t] of Object.entries(w))
    expect([name, maxDiff(jointWeights[name].data, t.data)]).toEqual([name, 0]);
});

let imported: { name: string; dir: string };

it("import writes weights.safetensors; from it alone PyTorch's activations and the model's embeddings are reproduced", async () => {
  const r = await importHfClipModel(db.prisma, hfFolder("tiny-clip-w"), { dataDir });
  imported = { name: r.model.name, dir: r.directory };
  const manifest = JSON.parse(readFileSync(path.join(r.directory, "model.json"), "utf8"));
  expect(manifest.weights).toBe("weights.safetensors");
  const file = readSafetensors(path.join(r.directory, "weights.safetensors"));
  expect(file.metadata.format).toBe("mmatlas-hf-clip-import");
  const w = file.tensors as Weights;
  expectReferenceWeights(w);

  // vision: pixels → patches·W_E, class token, positions → ln_pre → layer 0 → layer 1 (PyTorch's hooks)
  const G = 4,
    P = 8,
    T = G * G + 1,
    d = 32;
  const px = example(ref.pixel_values, 1);
  const x0 = new Float32Array(T * d);
  x0.set(w["vision.cls_token"].data, 0);
  for (let gy = 0; gy < G; gy++)
    for (let gx = 0; gx < G; gx++)
      for (let y = 0; y < P; y++)
        for (let x = 0; x < P; x++)
          for (let c = 0; c < 3; c++) {
            const v = px[(c * 32 + gy * P + y) * 32 + gx * P + x];
            const row = (y * P + x) * 3 + c;
            for (let o = 0; o < d; o++) x0[(1 + gy * G + gx) * d + o] += v * w["vision.embed.W_E"].data[row * d + o];
          }
  for (let i = 0; i < T * d; i++) x0[i] += w["vision.pos_embed.W_pos"].data[i];
  const x = layerNorm(x0, T, d, w["vision.ln_pre.w"].data, w["vision.ln_pre.b"].data);
  const l0 = block(w, "vision.blocks.0", x, T, false);
  expect(maxDiff(l0.resid, example(ref["vision.blocks.0.hook_resid_post"], 1))).toBeLessThan(1e-4);
  expect(maxDiff(l0.pattern, example(ref["vision.blocks.0.attn.hook_pattern"], 1))).toBeLessThan(1e-5);
  const l1 = block(w, "vision.blocks.1", example(ref["vision.blocks.0.hook_resid_post"], 1), T, false);
  expect(maxDiff(l1.resid, example(ref["vision.blocks.1.hook_resid_post"], 1))).toBeLessThan(1e-4);

  // text: ids → W_E rows + positions → layer 0 (causal) → layer 1
  const ids = Array.from(example(ref.input_ids, 0), Number);
  const Tt = 77,
    dt = 8;
  const t0 = new Float32Array(Tt * dt);
  ids.forEach((id, t) => {
    for (let o = 0; o < dt; o++)
      t0[t * dt + o] = w["text.embed.W_E"].data[id * dt + o] + w["text.pos_embed.W_pos"].data[t * dt + o];
  });
  const tl0 = block(w, "text.blocks.0", t0, Tt, true);
  expect(maxDiff(tl0.resid, example(ref["text.blocks.0.hook_resid_post"], 0))).toBeLessThan(1e-4);
  const tl1 = block(w, "text.blocks.1", example(ref["text.blocks.0.hook_resid_post"], 0), Tt, true);
  expect(maxDiff(tl1.resid, example(ref["text.blocks.1.hook_resid_post"], 0))).toBeLessThan(1e-4);

  // the read-out of the imported model's last resid_post at the pooled position is its own embedding output
  const runner = await createRunner(r.directory, { intraOpNumThreads: 1 });
  try {
    const vision = await runner.runPixels(ref.pixel_values.data, ["vision.blocks.1.hook_resid_post"]);
    const text = await runner.runTexts(refMeta.texts, ["text.blocks.1.hook_resid_post"]);
    let worst = 0;
    for (let i = 0; i < 4; i++) {
      const cls = vision.hooks["vision.blocks.1.hook_resid_post"].data.subarray(i * T * d, i * T * d + d);
      worst = Math.max(worst, maxDiff(readOut(w, "vision", cls), vision.embeds.data.subarray(i * 24, (i + 1) * 24)));
    }
    for (let i = 0; i < 2; i++) {
      const rowIds = Array.from(example(ref.input_ids, i), Number);
      const eos = rowIds.indexOf(Math.max(...rowIds)); // HF pools at argmax(input_ids)
      const h = text.hooks["text.blocks.1.hook_resid_post"].data.subarray((i * Tt + eos) * dt, (i * Tt + eos + 1) * dt);
      worst = Math.max(worst, maxDiff(readOut(w, "text", h), text.embeds.data.subarray(i * 24, (i + 1) * 24)));
    }
    expect(worst).toBeLessThan(1e-4);
  } finally {
    await runner.close();
  }
});

it("a layer whose weights are not constants leaves its tower out (said in the summary); none found: no file, import still succeeds", async () => {
  const oneTower = await planHfClipImport(
    hfFolder("vision-hidden", (d) => hideWeight(path.join(d, "onnx", "vision_model.onnx"), [32, 64], 1)),
  );
  expect(oneTower.weights.summary).toMatch(
    /^weights: text 2\/2 layers \+ read-out \+ embeddings → weights\.safetensors \(\d+ tensors, .*; left out: vision 1\/2 layers \+ read-out \(vision layer 1: 0 MLP input projections \(\[32, 64\]\) read ln2 \(expected one\)\)$/,
  );
  expect([...oneTower.weights.tensors.keys()].every((k) => k.startsWith("text."))).toBe(true);

  const dir = hfFolder("all-hidden", (d) => {
    hideWeight(path.join(d, "onnx", "vision_model.onnx"), [32, 64], 0);
    hideWeight(path.join(d, "onnx", "text_model.onnx"), [8, 24], 1);
  });
  const r = await importHfClipModel(db.prisma, dir, { dataDir });
  expect(r.plan.weights.summary).toMatch(
    /^weights: none written; vision 1\/2 layers \+ read-out \(vision layer 0: .*\); text 1\/2 layers \+ read-out \(text layer 1: .*\)$/,
  );
  expect(existsSync(path.join(r.directory, "weights.safetensors"))).toBe(false);
  expect(JSON.parse(readFileSync(path.join(r.directory, "model.json"), "utf8")).weights).toBeUndefined();
  expect(r.hookPoints).toBe(12); // the model itself imported as before
});

it("an atlas build of the imported model gets text-alignment labels, a quantized one too (none without the weights file)", async () => {
  const images = path.join(tmp, "images");
  mkdirSync(images);
  refMeta.images.forEach((f, i) => {
    for (let k = 0; k < 3; k++) cpSync(path.join(FIXTURE, "reference-images", f), path.join(images, `${k}-${i}-${f}`));
  });
  const { dataset } = await importImageFolder(db.prisma, images, { name: "weights-images" });
  const alignedUnits = async (modelName: string) => {
    const model = await db.prisma.model.findUniqueOrThrow({ where: { name: modelName } });
    const job = await createAtlasBuildJob(db.prisma, {
      modelId: model.id,
      datasetId: dataset.id,
      hooks: ["vision.blocks.1.mlp.hook_post"],
      k: 3,
      batchSize: 4,
      probeSize: 4,
      causalUnits: 0,
      maxUnits: 8,
    });
    const done = await executeJob(db.prisma, job.id);
    expect([done.status, done.error]).toEqual(["SUCCEEDED", null]);
    const units = await db.prisma.unit.findMany({ where: { modelId: model.id, kind: "NEURON" } });
    expect(units.length).toBeGreaterThan(0);
    return units.filter((u) =>
      ((u.autoLabels ?? []) as { method: string }[]).some((l) => l.method === "text-alignment"),
    ).length;
  };
  expect(await alignedUnits("all-hidden")).toBe(0); // before: no weights, no text-alignment labels
  expect(await alignedUnits(imported.name)).toBeGreaterThan(0);
  expect(await alignedUnits(quantizedName)).toBeGreaterThan(0); // from the dequantized weights
});
