// The weights of an imported Hugging Face CLIP in TransformerLens names (what text-alignment labels, decoder-cosine
// neighbours, head decomposition and the logit lens read), found in the tower graphs by structure (tower-weights).
// A tower is written only when every layer and its read-out (ln_final, proj) were found; the embeddings and
// vision's ln_pre come along when found. `summary` is the one line the import and its dry run print. A weight
// holding NaN or ±Infinity refuses the import.
import path from "node:path";
import { AppError } from "@mmatlas/errors";
import {
  countNonFinite,
  describeNonFinite,
  writeSafetensorsFile,
  type OnnxModel,
  type TensorToWrite,
} from "@mmatlas/inference";
import { GraphIndex } from "./graph-index";
import type { HfClipFolder } from "./hf-folder";
import { towerWeights, type LazyTensor, type TowerWeights } from "./tower-weights";

export const WEIGHTS_FILE = "weights.safetensors";

export interface ExtractedWeights {
  /** TransformerLens name → tensor, of the complete towers only (empty: nothing is written) */
  tensors: Map<string, LazyTensor>;
  towers: { vision: TowerWeights; text: TowerWeights };
  /** "weights: ..." — what was found, or why a tower was left out */
  summary: string;
}

const complete = (t: TowerWeights, layers: number) => t.layersFound === layers && t.readOut;

/** Finds both towers' weights (values are read only when written). */
export function extractWeights(
  folder: HfClipFolder,
  models: { vision: OnnxModel; text: OnnxModel },
  outputs: { vision: string; text: string } = { vision: "image_embeds", text: "text_embeds" },
): ExtractedWeights {
  const towers = {
    vision: towerWeights(
      models.vision,
      new GraphIndex(models.vision),
      {
        ...folder.vision,
        projectionDim: folder.projectionDim,
        output: outputs.vision,
        patch: { channels: 3, size: folder.vision.patchSize },
      },
      "vision",
    ),
    text: towerWeights(
      models.text,
      new GraphIndex(models.text),
      {
        ...folder.text,
        projectionDim: folder.projectionDim,
        output: outputs.text,
        vocabSize: folder.text.vocabSize,
      },
      "text",
    ),
  };
  const tensors = new Map<string, LazyTensor>();
  const kept: string[] = [],
    left: string[] = [];
  for (const name of ["vision", "text"] as const) {
    const t = towers[name],
      layers = folder[name].layers;
    const found = `${name} ${t.layersFound}/${layers} layers${t.readOut ? " + read-out" : ""}`;
    if (complete(t, layers)) {
      for (const [k, v] of t.tensors) tensors.set(k, v);
      kept.push(`${found}${t.embeddings ? " + embeddings" : ""}`);
    } else left.push(`${found} (${t.problems.filter((p) => !p.includes("(optional)")).join("; ")})`);
  }
  const values = [...tensors.values()].reduce((s, t) => s + t.shape.reduce((a, b) => a * b, 1), 0);
  const summary = !kept.length
    ? `weights: none written; ${left.join("; ")}`
    : `weights: ${kept.join(", ")} → ${WEIGHTS_FILE} (${tensors.size} tensors, ${(values / 1e6).toFixed(2)}M values)` +
      (left.length ? `; left out: ${left.join("; ")}` : "");
  return { tensors, towers, summary };
}

/** a weight holds NaN or ±Infinity: the model itself is corrupt (its import is refused, not only its weights) */
export class NonFiniteWeightsError extends AppError {
  constructor(message: string) {
    super("BAD_USER_INPUT", message, { field: "path" });
  }
}

/**
 * Writes the weights file into `dir`; returns its name, or undefined when there is nothing to write. A tensor
 * holding NaN or ±Infinity (one an unusual token's embedding row, which a probe run does not reach) throws a
 * NonFiniteWeightsError naming it, before anything is written.
 */
export function writeWeightsFile(w: ExtractedWeights, dir: string): string | undefined {
  if (!w.tensors.size) return undefined;
  const out: Record<string, TensorToWrite> = {};
  for (const [name, t] of w.tensors) {
    const data = t.read();
    const found = countNonFinite(data);
    if (found.count > 0)
      throw new NonFiniteWeightsError(
        `the weight ${name} [${t.shape.join(", ")}] holds NaN or ±Infinity: ${describeNonFinite(found, data.length)}`,
      );
    out[name] = { shape: t.shape, data };
  }
  writeSafetensorsFile(path.join(dir, WEIGHTS_FILE), out, {
    format: "mmatlas-hf-clip-import",
    layout: "TransformerLens (W_Q/W_K/W_V [H, d, dh], W_O [H, dh, d], W_in [d, m], proj [d, e]; W_E rows py, px, c)",
  });
  return WEIGHTS_FILE;
}
