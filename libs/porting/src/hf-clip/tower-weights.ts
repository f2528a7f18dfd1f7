// Finds the weights of one CLIP tower in its ONNX graph by structure and names them as TransformerLens does.
// Per layer, from the residual stream after it (found by discover-hooks): resid_post = Add(resid_mid, fc2(...)),
// resid_mid = Add(resid_in, out_proj(...)); ln1 / ln2 are the LayerNorms reading resid_in / resid_mid; fc1 the
// linear reading ln2; q/k/v the three linears reading ln1, told apart by the attention scores MatMul (query·keyᵀ:
// the query feeds its first operand, the key its second; the value neither). The read-out: proj is the bias-free
// [d, projection_dim] linear nearest the embedding output, ln_final the LayerNorm in front of it; vision's ln_pre
// is the LayerNorm whose output enters layer 0; the embeddings are the constants upstream of that. Quantized graphs
// (graph-patterns: MatMulInteger chains, MatMulNBits, DequantizeLinear weights; GatherQuant tables and ConvInteger
// patch kernels for the embeddings) give their dequantized weights.
import type { OnnxModel } from "@mmatlas/inference";
import { discoverLayers, type TowerGeometry } from "./discover-hooks";
import type { ConstTensor, GraphIndex } from "./graph-index";
import {
  convIntegerKernel,
  gatherQuantTable,
  layerNormFrom,
  layerNormInto,
  linearAt,
  linearInto,
  linearsFrom,
  type Linear,
} from "./graph-patterns";
import { patchEmbedRows, splitHeadsIn } from "./tl-layout";

export interface LazyTensor {
  shape: number[];
  read: () => Float32Array;
}

export interface TowerWeights {
  /** TransformerLens name → tensor, complete groups only (each layer, the read-out, ln_pre, the embeddings) */
  tensors: Map<string, LazyTensor>;
  layersFound: number;
  readOut: boolean;
  embeddings: boolean;
  /** what was not found, one line each, naming the layer or group */
  problems: string[];
}

export interface TowerWeightSpec extends TowerGeometry {
  projectionDim: number;
  /** the graph output holding the tower's embedding (image_embeds / text_embeds) */
  output: string;
  /** vision only: channels and patch size of the patch convolution */
  patch?: { channels: number; size: number };
  vocabSize?: number;
}

const zeros = (n: number) => () => new Float32Array(n);
const plain = (c: ConstTensor | undefined, n: number): (() => Float32Array) => (c ? c.read : zeros(n));

function unreadable(...cs: (ConstTensor | undefined)[]): string | undefined {
  return cs.find((c) => c?.unreadable)?.unreadable;
}

/** Walks one layer back from its residual output; returns its tensors or why not. */
function layerWeights(
  g: GraphIndex,
  geo: TowerWeightSpec,
  prefix: string,
  residPost: string,
  softmax: string | undefined,
): { tensors: [string, LazyTensor][]; residIn: string } | string {
  const { hidden: d, intermediate: m, heads: H } = geo;
  const dh = d / H;
  const is = (lin: Linear | undefined, rows: number, cols: number) =>
    lin !== undefined && lin.weight.dims[0] === rows && lin.weight.dims[1] === cols;
  const splitAdd = (t: string, rows: number, cols: number): [Linear, string] | undefined => {
    const p = g.producer(t);
    if (p === undefined || g.nodes[p].opType !== "Add") return undefined;
    const [a, b] = g.nodes[p].input!;
    const la = linearInto(g, a),
      lb = linearInto(g, b);
    if (is(la, rows, cols) && !is(lb, rows, cols)) return [la!, b];
    if (is(lb, rows, cols) && !is(la, rows, cols)) return [lb!, a];
    return undefined;
  };
  const mlp = splitAdd(residPost, m, d);
  if (!mlp) return `no residual Add of an MLP output projection with a float [${m}, ${d}] weight`;
  const [fc2, residMid] = mlp;
  const attn = splitAdd(residMid, d, d);
  if (!attn) return `no residual Add of an attention output projection with a float [${d}, ${d}] weight`;
  const [outProj, residIn] = attn;
  const ln1 = layerNormFrom(g, residIn, d),
    ln2 = layerNormFrom(g, residMid, d);
  if (!ln1 || !ln2) return `no LayerNorm (${d} wide) in front of the ${ln1 ? "MLP" : "attention"}`;
  const fc1 = linearsFrom(g, ln2.output).filter((l) => is(l, d, m));
  if (fc1.length !== 1) return `${fc1.length} MLP input projections ([${d}, ${m}]) read ln2 (expected one)`;
  const qkv = linearsFrom(g, ln1.output).filter((l) => is(l, d, d));
  if (qkv.length !== 3) return `${qkv.length} attention projections ([${d}, ${d}]) read ln1 (expected q, k, v)`;
  // the scores MatMul: the first MatMul of two computed operands in front of the Softmax
  const s = softmax === undefined ? undefined : g.producer(softmax);
  let scores: number | undefined;
  const queue = s === undefined ? [] : [g.nodes[s].input![0]];
  for (let k = 0; k < queue.length && k < 32 && scores === undefined; k++) {
    const p = g.producer(queue[k]);
    if (p === undefined) continue;
    const n = g.nodes[p];
    // MatMulInteger: a dynamically quantized graph that also quantizes MatMuls of two computed operands
    if ((n.opType === "MatMul" || n.opType === "MatMulInteger") && n.input!.every((x) => !x || !g.isConstant(x)))
      scores = p;
    else for (const x of n.input ?? []) if (x && !g.isConstant(x)) queue.push(x);
  }
  if (scores === undefined) return "no attention scores MatMul (query · keyᵀ) in front of the Softmax";
  const [qSide, kSide] = g.nodes[scores].input!.map((x) => g.ancestors(x));
  const q = qkv.filter((l) => qSide.has(l.output) && !kSide.has(l.output));
  const k = qkv.filter((l) => kSide.has(l.output) && !qSide.has(l.output));
  const v = qkv.filter((l) => !qSide.has(l.output) && !kSide.has(l.output));
  if (q.length !== 1 || k.length !== 1 || v.length !== 1)
    return "the q, k and v projections cannot be told apart from the attention scores";
  const bad = unreadable(
    ...[q[0], k[0], v[0], outProj, fc1[0], fc2].flatMap((l) => [l.weight, l.bias]),
    ...[ln1, ln2].flatMap((l) => [l.gain, l.bias]),
  );
  if (bad) return `weights not readable: ${bad}`;

  const t: [string, LazyTensor][] = [
    [`${prefix}.ln1.w`, { shape: [d], read: ln1.gain.read }],
    [`${prefix}.ln1.b`, { shape: [d], read: plain(ln1.bias, d) }],
  ];
  for (const [name, lin] of [
    ["Q", q[0]],
    ["K", k[0]],
    ["V", v[0]],
  ] as const)
    t.push([`${prefix}.attn.W_${name}`, { shape: [H, d, dh], read: () => splitHeadsIn(lin.weight.read(), d, H) }]);
  for (const [name, lin] of [
    ["Q", q[0]],
    ["K", k[0]],
    ["V", v[0]],
  ] as const)
    t.push([`${prefix}.attn.b_${name}`, { shape: [H, dh], read: plain(lin.bias, d) }]);
  t.push(
    [`${prefix}.attn.W_O`, { shape: [H, dh, d], read: outProj.weight.read }],
    [`${prefix}.attn.b_O`, { shape: [d], read: plain(outProj.bias, d) }],
    [`${prefix}.ln2.w`, { shape: [d], read: ln2.gain.read }],
    [`${prefix}.ln2.b`, { shape: [d], read: plain(ln2.bias, d) }],
    [`${prefix}.mlp.W_in`, { shape: [d, m], read: fc1[0].weight.read }],
    [`${prefix}.mlp.b_in`, { shape: [m], read: plain(fc1[0].bias, m) }],
    [`${prefix}.mlp.W_out`, { shape: [m, d], read: fc2.weight.read }],
    [`${prefix}.mlp.b_out`, { shape: [d], read: plain(fc2.bias, d) }],
  );
  return { tensors: t, residIn };
}

/** proj (bias-free [d, e] linear nearest the output) and ln_final (the LayerNorm in front of it), or why not. */
function readOutWeights(g: GraphIndex, geo: TowerWeightSpec, tower: string, lastResid: string) {
  const d = geo.hidden,
    e = geo.projectionDim;
  let proj: Linear | undefined;
  const queue = [geo.output];
  const seen = new Set(queue);
  for (let k = 0; k < queue.length && k < 64 && !proj; k++) {
    const p = g.producer(queue[k]);
    if (p === undefined) continue;
    const lin = linearAt(g, p);
    if (lin && lin.weight.dims[0] === d && lin.weight.dims[1] === e) proj = lin;
    else
      for (const x of g.nodes[p].input ?? [])
        if (x && !seen.has(x) && !g.isConstant(x)) {
          seen.add(x);
          queue.push(x);
        }
  }
  if (!proj) return `no projection (a MatMul with a float [${d}, ${e}] weight) in front of ${geo.output}`;
  if (proj.bias) return `the projection in front of ${geo.output} has a bias (CLIP's ${tower} projection has none)`;
  let ln;
  const back = [proj.input];
  for (let k = 0; k < back.length && k < 64 && !ln; k++) {
    ln = layerNormInto(g, back[k], d);
    const p = ln || back[k] === lastResid ? undefined : g.producer(back[k]);
    if (p !== undefined) for (const x of g.nodes[p].input ?? []) if (x && !g.isConstant(x)) back.push(x);
  }
  if (!ln) return `no LayerNorm (${d} wide) between the last layer and the projection`;
  const bad = unreadable(proj.weight, ln.gain, ln.bias);
  if (bad) return `weights not readable: ${bad}`;
  return [
    [`${tower}.ln_final.w`, { shape: [d], read: ln.gain.read }],
    [`${tower}.ln_final.b`, { shape: [d], read: plain(ln.bias, d) }],
    [`${tower}.proj`, { shape: [d, e], read: proj.weight.read }],
  ] as [string, LazyTensor][];
}

/** The embedding tables upstream of `x` (what enters layer 0, or ln_pre), or why not. */
function embeddingWeights(g: GraphIndex, geo: TowerWeightSpec, tower: string, x: string) {
  const d = geo.hidden;
  const consts: { c: ConstTensor; op: string; slot: number }[] = [];
  for (const i of g.upstreamNodes(x, 5_000)) {
    const n = g.nodes[i];
    // quantized embeddings (quantize_dynamic's defaults): a GatherQuant table, a ConvInteger patch kernel
    const table = gatherQuantTable(g, i),
      kernel = n.opType === "ConvInteger" ? convIntegerKernel(g, i) : undefined;
    if (table) {
      if (table.dims.includes(d)) consts.push({ c: table, op: "Gather", slot: 0 });
      continue;
    }
    if (kernel) {
      consts.push({ c: kernel, op: "Conv", slot: 1 });
      continue;
    }
    n.input?.forEach((t, slot) => {
      const c = t ? g.constant(t) : undefined;
      if (c && c.dims.some((v) => v === d)) consts.push({ c, op: n.opType!, slot });
    });
  }
  const one = (what: string, f: (k: (typeof consts)[number]) => boolean): ConstTensor | string => {
    const found = [...new Map(consts.filter(f).map((k) => [k.c.source, k.c])).values()];
    return found.length === 1 ? found[0] : `${found.length} candidates for the ${what} (expected one)`;
  };
  const dims = (k: (typeof consts)[number], ...want: number[]) =>
    k.c.dims.length === want.length && k.c.dims.every((v, i) => v === want[i]);
  const out: [string, LazyTensor][] = [];
  if (tower === "vision") {
    const C = geo.patch!.channels,
      P = geo.patch!.size;
    const conv = one("patch convolution", (k) => k.op === "Conv" && k.slot === 1 && dims(k, d, C, P, P));
    const cls = one("class embedding", (k) => k.op !== "Conv" && dims(k, d));
    const pos = one("position embedding", (k) => dims(k, geo.seqLen, d));
    for (const r of [conv, cls, pos]) if (typeof r === "string") return r;
    const [w, c, p] = [conv, cls, pos] as ConstTensor[];
    const bad = unreadable(w, c, p);
    if (bad) return `weights not readable: ${bad}`;
    out.push(
      [`vision.embed.W_E`, { shape: [P * P * C, d], read: () => patchEmbedRows(w.read(), d, C, P) }],
      [`vision.cls_token`, { shape: [d], read: c.read }],
      [`vision.pos_embed.W_pos`, { shape: [geo.seqLen, d], read: p.read }],
    );
  } else {
    const tok = one("token embedding", (k) => k.op === "Gather" && dims(k, geo.vocabSize!, d));
    const pos = one("position embedding", (k) => dims(k, geo.seqLen, d));
    for (const r of [tok, pos]) if (typeof r === "string") return r;
    const [w, p] = [tok, pos] as ConstTensor[];
    const bad = unreadable(w, p);
    if (bad) return `weights not readable: ${bad}`;
    out.push(
      [`text.embed.W_E`, { shape: [geo.vocabSize!, d], read: w.read }],
      [`text.pos_embed.W_pos`, { shape: [geo.seqLen, d], read: p.read }],
    );
  }
  return out;
}

/** All weights of one tower that can be found; complete groups only. */
export function towerWeights(
  model: OnnxModel,
  g: GraphIndex,
  geo: TowerWeightSpec,
  tower: "vision" | "text",
): TowerWeights {
  const tensors = new Map<string, LazyTensor>();
  const problems: string[] = [];
  const found = discoverLayers(model, geo, tower);
  let layersFound = 0;
  let firstIn: string | undefined;
  for (let l = 0; l < geo.layers; l++) {
    const resid = found.layers[l]?.resid;
    if (!resid) {
      problems.push(`${tower} layer ${l}: its residual output was not found`);
      continue;
    }
    const r = layerWeights(g, geo, `${tower}.blocks.${l}`, resid, found.layers[l].softmax);
    if (typeof r === "string") {
      problems.push(`${tower} layer ${l}: ${r}`);
      continue;
    }
    for (const [k, v] of r.tensors) tensors.set(k, v);
    if (l === 0) firstIn = r.residIn;
    layersFound++;
  }
  const lastResid = found.layers[geo.layers - 1]?.resid;
  const readOut = lastResid ? readOutWeights(g, geo, tower, lastResid) : "the last layer was not found";
  if (typeof readOut === "string") problems.push(`${tower} read-out (ln_final, proj): ${readOut}`);
  else for (const [k, v] of readOut) tensors.set(k, v);
  let embeddings = false;
  if (firstIn) {
    let embedOut = firstIn;
    const lnPre = tower === "vision" ? layerNormInto(g, firstIn, geo.hidden) : undefined;
    if (lnPre && !unreadable(lnPre.gain, lnPre.bias)) {
      tensors.set("vision.ln_pre.w", { shape: [geo.hidden], read: lnPre.gain.read });
      tensors.set("vision.ln_pre.b", { shape: [geo.hidden], read: plain(lnPre.bias, geo.hidden) });
      embedOut = lnPre.input;
    }
    const emb = embeddingWeights(g, geo, tower, embedOut);
    if (typeof emb === "string") problems.push(`${tower} embeddings (optional): ${emb}`);
    else {
      for (const [k, v] of emb) tensors.set(k, v);
      embeddings = true;
    }
  }
  return { tensors, layersFound, readOut: typeof readOut !== "string", embeddings, problems };
}
