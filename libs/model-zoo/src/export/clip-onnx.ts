// Builds the two ONNX graphs of CLIP-shapes (opset 17) from trained weights. Hook tensors carry their
// TransformerLens names ({tower}.blocks.{l}.hook_resid_post, .mlp.hook_post, .attn.hook_pattern) but are
// not graph outputs; @mmatlas/inference exposes them on demand.
//   image.onnx: pixels float32 [batch,3,32,32] in [0,1] → normalize → patchify → ViT → image_embeds (L2-normalized)
//   text.onnx:  tokens int64 [batch,8] → causal transformer → pool at <eos> → text_embeds (L2-normalized)
import { EOS_ID } from "../shapes/tokenize";
import { type ClipShapesConfig, headDim, patchDim } from "../model/config";
import type { HostWeights } from "../model/params";
import { OnnxGraph, valueInfo } from "./onnx-graph";

export const IMAGE_INPUT = "pixels";
export const IMAGE_OUTPUT = "image_embeds";
export const TEXT_INPUT = "tokens";
export const TEXT_OUTPUT = "text_embeds";

function addWeights(g: OnnxGraph, w: HostWeights, prefix: string): void {
  for (const [name, t] of Object.entries(w))
    if (name.startsWith(prefix) && name !== "vision.cls_token") g.float(name, t.shape, t.data);
}

function addConstants(g: OnnxGraph, c: ClipShapesConfig): void {
  g.int64("const.shape_bthd", [0, 0, c.heads, headDim(c)]);
  g.int64("const.shape_btd", [0, 0, c.width]);
  g.int64("const.split_qkv", [c.width, c.width, c.width]);
  g.int64("const.axis_last", [-1]);
  g.int64("const.axis_1", [1]);
  g.float("const.attn_scale", [], [1 / Math.sqrt(headDim(c))]);
  g.float("const.inv_sqrt2", [], [Math.SQRT1_2]);
  g.float("const.one", [], [1]);
  g.float("const.half", [], [0.5]);
  g.float("const.l2_eps", [], [1e-12]);
}

function layerNorm(g: OnnxGraph, c: ClipShapesConfig, x: string, pre: string, out: string): string {
  return g.op("LayerNormalization", [x, `${pre}.w`, `${pre}.b`], out, [
    { name: "axis", i: -1 },
    { name: "epsilon", f: c.lnEps },
  ]);
}

/** Pre-LN transformer block on [B,T,D]; returns hook_resid_post. */
function block(g: OnnxGraph, c: ClipShapesConfig, pre: string, x: string, mask: string | null): string {
  const ln1 = layerNorm(g, c, x, `${pre}.ln1`, `${pre}.ln1.hook_normalized`);
  const qkv = g.op(
    "Add",
    [g.op("MatMul", [ln1, `${pre}.attn.W_QKV`], `${pre}.attn.qkv_mm`), `${pre}.attn.b_QKV`],
    `${pre}.attn.qkv`,
  );
  const [q, k, v] = g.opMulti(
    "Split",
    [qkv, "const.split_qkv"],
    [`${pre}.attn.q_flat`, `${pre}.attn.k_flat`, `${pre}.attn.v_flat`],
    [{ name: "axis", i: -1 }],
  );
  const heads = (t: string, name: string, perm: number[]) =>
    g.op(
      "Transpose",
      [g.op("Reshape", [t, "const.shape_bthd"], `${pre}.attn.${name}_bthd`)],
      `${pre}.attn.hook_${name}`,
      [{ name: "perm", ints: perm }],
    );
  const qh = heads(q, "q", [0, 2, 1, 3]),
    kT = heads(k, "kT", [0, 2, 3, 1]),
    vh = heads(v, "v", [0, 2, 1, 3]);
  let scores = g.op(
    "MatMul",
    [g.op("Mul", [qh, "const.attn_scale"], `${pre}.attn.q_scaled`), kT],
    `${pre}.attn.scores`,
  );
  if (mask) scores = g.op("Add", [scores, mask], `${pre}.attn.hook_attn_scores`);
  const pattern = g.op("Softmax", [scores], `${pre}.attn.hook_pattern`, [{ name: "axis", i: -1 }]);
  const z = g.op("Transpose", [g.op("MatMul", [pattern, vh], `${pre}.attn.z_bhtd`)], `${pre}.attn.z_bthd`, [
    { name: "perm", ints: [0, 2, 1, 3] },
  ]);
  const zf = g.op("Reshape", [z, "const.shape_btd"], `${pre}.attn.hook_z`);
  const attnOut = g.op(
    "Add",
    [g.op("MatMul", [zf, `${pre}.attn.W_O`], `${pre}.attn.out_mm`), `${pre}.attn.b_O`],
    `${pre}.hook_attn_out`,
  );
  const mid = g.op("Add", [x, attnOut], `${pre}.hook_resid_mid`);
  const ln2 = layerNorm(g, c, mid, `${pre}.ln2`, `${pre}.ln2.hook_normalized`);
  const pre_act = g.op(
    "Add",
    [g.op("MatMul", [ln2, `${pre}.mlp.W_in`], `${pre}.mlp.in_mm`), `${pre}.mlp.b_in`],
    `${pre}.mlp.hook_pre`,
  );
  const erf = g.op("Erf", [g.op("Mul", [pre_act, "const.inv_sqrt2"], `${pre}.mlp.gelu_div`)], `${pre}.mlp.gelu_erf`);
  const half = g.op("Mul", [pre_act, "const.half"], `${pre}.mlp.gelu_half`);
  const post = g.op("Mul", [half, g.op("Add", [erf, "const.one"], `${pre}.mlp.gelu_1p`)], `${pre}.mlp.hook_post`);
  const mlpOut = g.op(
    "Add",
    [g.op("MatMul", [post, `${pre}.mlp.W_out`], `${pre}.mlp.out_mm`), `${pre}.mlp.b_out`],
    `${pre}.hook_mlp_out`,
  );
  return g.op("Add", [mid, mlpOut], `${pre}.hook_resid_post`);
}

/** ln_final → projection → L2 normalization of a pooled [B,D] tensor. */
function head(g: OnnxGraph, c: ClipShapesConfig, tower: string, pooled: string, output: string): string {
  const ln = layerNorm(g, c, pooled, `${tower}.ln_final`, `${tower}.ln_final.hook_normalized`);
  const proj = g.op("MatMul", [ln, `${tower}.proj`], `${tower}.hook_proj`);
  const sq = g.op(
    "ReduceSum",
    [g.op("Mul", [proj, proj], `${tower}.proj_sq`), "const.axis_last"],
    `${tower}.proj_sumsq`,
    [{ name: "keepdims", i: 1 }],
  );
  const norm = g.op("Sqrt", [g.op("Add", [sq, "const.l2_eps"], `${tower}.proj_sumsq_eps`)], `${tower}.proj_norm`);
  return g.op("Div", [proj, norm], output);
}

/** image.onnx bytes. `weights` are in the training layout (fused W_QKV [D,3D]). */
export function buildImageOnnx(c: ClipShapesConfig, w: HostWeights): Uint8Array {
  const g = new OnnxGraph();
  addWeights(g, w, "vision.");
  addConstants(g, c);
  const { imageSize: S, patchSize: P, gridSize: G, width: D } = c;
  g.float("const.pixel_mean", [1, 3, 1, 1], c.mean);
  g.float("const.pixel_std", [1, 3, 1, 1], c.std);
  g.int64("const.shape_grid", [0, 3, G, P, G, P]);
  g.int64("const.shape_patches", [0, G * G, patchDim(c)]);
  g.int64("const.cls_tail", [1, D]);
  g.int64("const.zero_start", [0]);
  g.float("vision.cls_token", [1, 1, D], w["vision.cls_token"].data);
  g.int64("const.gather_cls", [0], []);

  const norm = g.op(
    "Div",
    [g.op("Sub", [IMAGE_INPUT, "const.pixel_mean"], "vision.pixels_centered"), "const.pixel_std"],
    "vision.pixels_normalized",
  );
  const grid = g.op("Reshape", [norm, "const.shape_grid"], "vision.pixels_grid"); // [B,3,gy,py,gx,px]
  const patchesT = g.op("Transpose", [grid], "vision.patches_grid", [{ name: "perm", ints: [0, 2, 4, 3, 5, 1] }]); // [B,gy,gx,py,px,3]
  const patches = g.op("Reshape", [patchesT, "const.shape_patches"], "vision.patches");
  const emb = g.op(
    "Add",
    [g.op("MatMul", [patches, "vision.embed.W_E"], "vision.embed.mm"), "vision.embed.b_E"],
    "vision.hook_patch_embed",
  );
  const batch = g.op(
    "Slice",
    [g.op("Shape", [IMAGE_INPUT], "vision.input_shape"), "const.zero_start", "const.axis_1"],
    "vision.batch_dim",
  );
  const clsShape = g.op("Concat", [batch, "const.cls_tail"], "vision.cls_shape", [{ name: "axis", i: 0 }]);
  const cls = g.op("Expand", ["vision.cls_token", clsShape], "vision.cls_tokens");
  const tokens = g.op("Concat", [cls, emb], "vision.tokens", [{ name: "axis", i: 1 }]);
  let x = g.op("Add", [tokens, "vision.pos_embed.W_pos"], "vision.hook_embed");
  for (let l = 0; l < c.layers; l++) x = block(g, c, `vision.blocks.${l}`, x, null);
  const first = g.op("Gather", [x, "const.gather_cls"], "vision.cls_final", [{ name: "axis", i: 1 }]);
  head(g, c, "vision", first, IMAGE_OUTPUT);
  return g.encode(
    "clip_shapes_image",
    [valueInfo(IMAGE_INPUT, "float", ["batch", 3, S, S])],
    [valueInfo(IMAGE_OUTPUT, "float", ["batch", c.embedDim])],
  );
}

/** text.onnx bytes. */
export function buildTextOnnx(c: ClipShapesConfig, w: HostWeights): Uint8Array {
  const g = new OnnxGraph();
  addWeights(g, w, "text.");
  addConstants(g, c);
  const T = c.textSeqLen;
  const mask = new Float32Array(T * T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) mask[i * T + j] = -1e9;
  g.float("const.causal_mask", [T, T], mask);
  g.int64("const.eos_id", [EOS_ID], []);

  const emb = g.op("Gather", ["text.embed.W_E", TEXT_INPUT], "text.hook_token_embed", [{ name: "axis", i: 0 }]);
  let x = g.op("Add", [emb, "text.pos_embed.W_pos"], "text.hook_embed");
  for (let l = 0; l < c.layers; l++) x = block(g, c, `text.blocks.${l}`, x, "const.causal_mask");
  const isEos = g.op("Cast", [g.op("Equal", [TEXT_INPUT, "const.eos_id"], "text.is_eos")], "text.eos_mask_bt", [
    { name: "to", i: 1 },
  ]);
  const eosMask = g.op("Unsqueeze", [isEos, "const.axis_last"], "text.eos_mask");
  const pooled = g.op("ReduceSum", [g.op("Mul", [x, eosMask], "text.masked"), "const.axis_1"], "text.pooled", [
    { name: "keepdims", i: 0 },
  ]);
  head(g, c, "text", pooled, TEXT_OUTPUT);
  return g.encode(
    "clip_shapes_text",
    [valueInfo(TEXT_INPUT, "int64", ["batch", T])],
    [valueInfo(TEXT_OUTPUT, "float", ["batch", c.embedDim])],
  );
}
