// Held-out evaluation of CLIP-shapes: zero-shot concept classification by prompt texts and image↔text recall@1.
import { generateShapesWorld, type ShapesExample } from "../shapes/generate";
import { COLORS, conceptsOf, type ConceptFamily } from "../shapes/vocabulary";
import type { ClipShapesTf } from "./embed";

export interface ZeroShotResult {
  accuracy: number;
  n: number;
  classes: number;
}
export interface EvaluationReport {
  heldOutSeed: number;
  heldOutCount: number;
  zeroShot: Record<"color" | "shape" | "position" | "size", ZeroShotResult> & { word: ZeroShotResult };
  /** On "the word X on a Y object" images with a color word: share of color predictions that follow the object vs the written word. */
  typographicConflict: { n: number; followsObject: number; followsWord: number };
  retrieval: { n: number; imageToTextR1: number; textToImageR1: number };
}

const dot = (a: Float32Array, i: number, b: Float32Array, j: number, d: number) => {
  let s = 0;
  for (let k = 0; k < d; k++) s += a[i * d + k] * b[j * d + k];
  return s;
};
const argmax = (scores: number[]) => scores.reduce((best, v, i) => (v > scores[best] ? i : best), 0);

/** Predicted class index per image among the prompt embeddings. */
function classify(imgEmb: Float32Array, rows: number[], txtEmb: Float32Array, classes: number, d: number): number[] {
  return rows.map((i) => argmax(Array.from({ length: classes }, (_, j) => dot(imgEmb, i, txtEmb, j, d))));
}

export function evaluateClip(
  model: ClipShapesTf,
  opts: { seed?: number; count?: number; retrievalCount?: number } = {},
): EvaluationReport {
  const seed = opts.seed ?? 424242,
    count = opts.count ?? 1500,
    d = model.config.embedDim;
  const ex = generateShapesWorld({ seed, count });
  const img = model.embedImages(ex.map((e) => e.pixels)).embeds;
  const zs = (family: ConceptFamily, keep: (e: ShapesExample) => boolean): ZeroShotResult => {
    const cs = conceptsOf(family);
    const txt = model.embedTexts(cs.map((c) => c.prompt)).embeds;
    const rows = ex.map((e, i) => (keep(e) ? i : -1)).filter((i) => i >= 0);
    const pred = classify(img, rows, txt, cs.length, d);
    const correct = rows.filter((i, k) => ex[i].tags.includes(cs[pred[k]].tag)).length;
    return { accuracy: correct / Math.max(1, rows.length), n: rows.length, classes: cs.length };
  };
  const single = (e: ShapesExample) => e.scene.kind === "object";
  const zeroShot = {
    color: zs("color", single),
    shape: zs("shape", single),
    position: zs("position", single),
    size: zs("size", single),
    word: zs("word", (e) => e.scene.kind === "word"),
  };

  const colors = conceptsOf("color");
  const colorTxt = model.embedTexts(colors.map((c) => c.prompt)).embeds;
  const conflictRows = ex
    .map((e, i) =>
      e.scene.kind === "word-on-object" && (COLORS as readonly string[]).includes(e.scene.word!) ? i : -1,
    )
    .filter((i) => i >= 0);
  const conflictPred = classify(img, conflictRows, colorTxt, colors.length, d);
  const followsObject = conflictRows.filter(
    (i, k) => colors[conflictPred[k]].value === ex[i].scene.objects[0].color,
  ).length;
  const followsWord = conflictRows.filter((i, k) => colors[conflictPred[k]].value === ex[i].scene.word).length;
  const nc = Math.max(1, conflictRows.length);

  const rn = Math.min(ex.length, opts.retrievalCount ?? 500);
  const captions = ex.slice(0, rn).map((e) => e.caption);
  const capEmb = model.embedTexts(captions).embeds;
  let i2t = 0,
    t2i = 0;
  for (let i = 0; i < rn; i++) {
    const bestText = argmax(captions.map((_, j) => dot(img, i, capEmb, j, d)));
    if (captions[bestText] === captions[i]) i2t++;
    const bestImage = argmax(captions.map((_, j) => dot(img, j, capEmb, i, d)));
    if (captions[bestImage] === captions[i]) t2i++;
  }
  return {
    heldOutSeed: seed,
    heldOutCount: count,
    zeroShot,
    typographicConflict: { n: conflictRows.length, followsObject: followsObject / nc, followsWord: followsWord / nc },
    retrieval: { n: rn, imageToTextR1: i2t / rn, textToImageR1: t2i / rn },
  };
}
