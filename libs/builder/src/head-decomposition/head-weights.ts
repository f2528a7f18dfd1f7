// The weights the head decomposition reads from a model's TransformerLens-named weights file (manifest `weights`):
// per vision block ln1.w/b, attn.W_V [H,d,dh], b_V [H,dh], W_O [H,dh,d], b_O [d]; vision.ln_final.w/b and
// vision.proj [d,e]. When something is missing the method is unavailable, with a typed reason (never silently
// absent): `headDecompositionSupport` answers that cheaply for the API (files and towers only),
// `loadHeadWeights` checks every tensor when the job runs.
import { existsSync } from "node:fs";
import path from "node:path";
import type { HeadLayerWeights, Readout } from "@mmatlas/atlas";
import { AppError } from "@mmatlas/errors";
import { readSafetensors, type ModelManifest } from "@mmatlas/inference";

export type HeadDecompositionUnavailableCode =
  | "NOT_A_HEAD"
  | "NO_MANIFEST"
  | "TEXT_TOWER_HEAD"
  | "NO_IMAGE_TOWER"
  | "NO_TEXT_TOWER"
  | "NO_WEIGHTS"
  | "MISSING_WEIGHTS"
  | "NO_LAYER_INPUT";

export interface HeadDecompositionSupport {
  available: boolean;
  code: HeadDecompositionUnavailableCode | null;
  reason: string | null;
}

const unavailable = (code: HeadDecompositionUnavailableCode, reason: string): HeadDecompositionSupport => ({
  available: false,
  code,
  reason,
});

/** An AppError (BAD_USER_INPUT) carrying the unavailable code. */
export function unavailableError(s: HeadDecompositionSupport): AppError {
  return AppError.badInput(`head decomposition unavailable (${s.code}): ${s.reason}`, "modelId", {
    reason: s.code ?? "",
  });
}

function weightsPath(manifest: ModelManifest, dir: string): string | null {
  const file = (manifest as unknown as { weights?: string }).weights;
  return file ? path.resolve(dir, file) : null;
}

/** Whether the method can run on a model (and, given, on a unit of `tower`/`kind`), from the manifest and files. */
export function headDecompositionSupport(
  manifest: ModelManifest,
  dir: string,
  unit?: { kind: string; tower: string },
): HeadDecompositionSupport {
  if (unit && unit.kind !== "ATTENTION_HEAD") return unavailable("NOT_A_HEAD", "only attention heads are decomposed");
  if (unit && unit.tower !== "VISION")
    return unavailable(
      "TEXT_TOWER_HEAD",
      "the decomposition is of the image embedding: only the vision tower's heads write into it",
    );
  if (!manifest.image) return unavailable("NO_IMAGE_TOWER", "the model has no image tower");
  if (!manifest.text) return unavailable("NO_TEXT_TOWER", "the model has no text tower to embed the concept texts");
  const file = weightsPath(manifest, dir);
  if (!file)
    return unavailable(
      "NO_WEIGHTS",
      "the model ships no weights file (manifest `weights`) with W_V, W_O, ln_final and proj",
    );
  if (!existsSync(file)) return unavailable("NO_WEIGHTS", `the model's weights file ${path.basename(file)} is missing`);
  return { available: true, code: null, reason: null };
}

export interface HeadWeights {
  layers: HeadLayerWeights[];
  /** b_O per layer [d] (zeros when absent) */
  bO: Float32Array[];
  readout: Readout;
  /** ln_final bias [d] (zeros when absent) */
  lnFinalBias: Float32Array;
  lnEps: number;
}

/** Reads and checks the vision tower's head, ln_final and proj weights; throws unavailableError when incomplete. */
export function loadHeadWeights(manifest: ModelManifest, dir: string, layers: number): HeadWeights {
  const support = headDecompositionSupport(manifest, dir);
  if (!support.available) throw unavailableError(support);
  const w = readSafetensors(weightsPath(manifest, dir)!).tensors;
  const missing: string[] = [];
  const need = (name: string, rank: number) => {
    const t = w[name];
    if (!t || t.shape.length !== rank) missing.push(name);
    return t;
  };
  const gain = need("vision.ln_final.w", 1),
    proj = need("vision.proj", 2);
  const out: HeadLayerWeights[] = [];
  const bO: Float32Array[] = [];
  for (let l = 0; l < layers; l++) {
    const p = `vision.blocks.${l}`;
    const ln1W = need(`${p}.ln1.w`, 1),
      ln1B = need(`${p}.ln1.b`, 1),
      wV = need(`${p}.attn.W_V`, 3),
      wO = need(`${p}.attn.W_O`, 3);
    if (!ln1W || !ln1B || !wV || !wO) continue;
    const [H, d, dh] = wV.shape;
    if (wO.shape[0] !== H || wO.shape[1] !== dh || wO.shape[2] !== d) {
      missing.push(`${p}.attn.W_O [${H},${dh},${d}]`);
      continue;
    }
    const bV = w[`${p}.attn.b_V`];
    out.push({
      heads: H,
      dModel: d,
      dHead: dh,
      ln1W: ln1W.data,
      ln1B: ln1B.data,
      wV: wV.data,
      bV: bV && bV.data.length === H * dh ? bV.data : new Float32Array(H * dh),
      wO: wO.data,
    });
    const b = w[`${p}.attn.b_O`];
    bO.push(b && b.data.length === d ? b.data : new Float32Array(d));
  }
  if (missing.length || !gain || !proj)
    throw unavailableError(
      unavailable(
        "MISSING_WEIGHTS",
        `the weights file lacks ${missing.slice(0, 6).join(", ")}${missing.length > 6 ? ", …" : ""}`,
      ),
    );
  const [dModel, embedDim] = proj.shape;
  if (out.some((l) => l.dModel !== dModel) || gain.data.length !== dModel)
    throw unavailableError(
      unavailable("MISSING_WEIGHTS", `vision.proj is [${proj.shape.join(",")}] but the blocks are not ${dModel} wide`),
    );
  const bias = w["vision.ln_final.b"];
  const config = (manifest as unknown as { config?: { lnEps?: number } }).config;
  return {
    layers: out,
    bO,
    readout: { dModel, embedDim, gain: gain.data, proj: proj.data },
    lnFinalBias: bias && bias.data.length === dModel ? bias.data : new Float32Array(dModel),
    lnEps: config?.lnEps ?? 1e-5,
  };
}
