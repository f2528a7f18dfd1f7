// The read-out a tower applies to its last residual stream — ln_final (gain, bias) and proj — from the model's
// TransformerLens-named weights file (manifest `weights`), plus the layer-norm eps from the model config
// (manifest config.lnEps / layer_norm_eps, else the HF config.json's <tower>_config.layer_norm_eps, else 1e-5).
// Only the three tensors are read from the file (large models ship hundreds of MB of weights). A model without
// them gets a typed reason instead, so the logit lens says why it is unavailable.
import { closeSync, existsSync, openSync, readFileSync, readSync } from "node:fs";
import path from "node:path";
import { modelDirectory } from "@mmatlas/catalog";
import type { Model } from "@mmatlas/db";
import { errorReason, readSafetensors, type DecodedTensor } from "@mmatlas/inference";
import type { LensReadout } from "@mmatlas/atlas";

export const DEFAULT_LN_EPS = 1e-5;

export type LensUnavailableReason =
  "NO_WEIGHTS_FILE" | "NO_READOUT_WEIGHTS" | "BAD_READOUT_WEIGHTS" | "NO_TEXT_TOWER" | "NO_RESIDUAL_HOOKS";

export type LensReadoutResult =
  { ok: true; readout: LensReadout } | { ok: false; reason: LensUnavailableReason; message: string };

type LensTower = "VISION" | "TEXT";
const prefixOf = (t: LensTower) => (t === "VISION" ? "vision" : "text");

/** Reads only the named tensors of a safetensors file (missing names are left out). */
export function readSafetensorsSubset(file: string, names: readonly string[]): Record<string, DecodedTensor> {
  const fd = openSync(file, "r");
  try {
    const head = Buffer.alloc(8);
    if (readSync(fd, head, 0, 8, 0) !== 8) throw new Error(`${file}: too short to be safetensors`);
    const headerLen = Number(head.readBigUInt64LE(0));
    if (headerLen > 100 * 1024 * 1024) throw new Error(`${file}: header of ${headerLen} bytes is implausible`);
    const hb = Buffer.alloc(headerLen);
    if (readSync(fd, hb, 0, headerLen, 8) !== headerLen) throw new Error(`${file}: header is cut short`);
    const header = JSON.parse(hb.toString("utf8")) as Record<
      string,
      { dtype: string; shape: number[]; data_offsets: [number, number] }
    >;
    const wanted = names.filter((n) => n !== "__metadata__" && header[n]);
    const sub: Record<string, unknown> = {};
    const parts: Buffer[] = [];
    let at = 0;
    for (const name of wanted) {
      const e = header[name];
      const [from, to] = e.data_offsets ?? [];
      if (!Number.isInteger(from) || !Number.isInteger(to) || to < from)
        throw new Error(`${file}: tensor "${name}" has bad data_offsets`);
      const part = Buffer.alloc(to - from);
      if (readSync(fd, part, 0, to - from, 8 + headerLen + from) !== to - from)
        throw new Error(`${file}: tensor "${name}" is cut short`);
      sub[name] = { dtype: e.dtype, shape: e.shape, data_offsets: [at, at + part.length] };
      parts.push(part);
      at += part.length;
    }
    const subHeader = Buffer.from(JSON.stringify(sub), "utf8");
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(subHeader.length));
    return readSafetensors(new Uint8Array(Buffer.concat([len, subHeader, ...parts]))).tensors;
  } finally {
    closeSync(fd);
  }
}

function positiveNumber(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) && v > 0 ? v : null;
}

/** Layer-norm eps of a tower: manifest config, else the HF config.json next to it, else 1e-5. */
export function layerNormEps(manifest: Record<string, unknown>, dir: string, tower: LensTower): number {
  const cfg = (manifest.config ?? {}) as Record<string, unknown>;
  const own = positiveNumber(cfg.lnEps) ?? positiveNumber(cfg.layer_norm_eps) ?? positiveNumber(cfg.layerNormEps);
  if (own !== null) return own;
  const hfFile = path.join(dir, "config.json");
  if (existsSync(hfFile)) {
    try {
      const hf = JSON.parse(readFileSync(hfFile, "utf8")) as Record<string, unknown>;
      const sub = (hf[`${prefixOf(tower)}_config`] ?? {}) as Record<string, unknown>;
      const eps = positiveNumber(sub.layer_norm_eps) ?? positiveNumber(hf.layer_norm_eps);
      if (eps !== null) return eps;
    } catch {
      // an unreadable config.json: the default below
    }
  }
  return DEFAULT_LN_EPS;
}

/**
 * ln_final + proj of one tower of a stored model, checked against the residual width and the embedding width;
 * or why there is none.
 */
export function loadLensReadout(model: Model, tower: LensTower, dModel: number, embedDim: number): LensReadoutResult {
  const manifest = (model.config ?? {}) as Record<string, unknown>;
  const dir = modelDirectory(model);
  const file = typeof manifest.weights === "string" ? path.resolve(dir, manifest.weights) : null;
  if (!file || !existsSync(file))
    return {
      ok: false,
      reason: "NO_WEIGHTS_FILE",
      message: file
        ? `model ${model.name}: its weights file ${manifest.weights as string} is missing`
        : `model ${model.name} ships no TransformerLens-named weights file (manifest "weights"), so ln_final and proj cannot be read`,
    };
  const p = prefixOf(tower);
  const names = [`${p}.ln_final.w`, `${p}.ln_final.b`, `${p}.proj`];
  let t: Record<string, DecodedTensor>;
  try {
    t = readSafetensorsSubset(file, names);
  } catch (e) {
    return { ok: false, reason: "BAD_READOUT_WEIGHTS", message: `cannot read ${file}: ${errorReason(e)}` };
  }
  const missing = names.filter((n) => !t[n] && !n.endsWith(".b"));
  if (missing.length)
    return { ok: false, reason: "NO_READOUT_WEIGHTS", message: `the weights file has no ${missing.join(", ")}` };
  const gain = t[names[0]],
    bias = t[names[1]],
    proj = t[names[2]];
  const bad =
    gain.shape.join() !== String(dModel)
      ? `${names[0]} is [${gain.shape}], the residual stream is ${dModel} wide`
      : bias && bias.shape.join() !== String(dModel)
        ? `${names[1]} is [${bias.shape}], the residual stream is ${dModel} wide`
        : proj.shape.length !== 2 || proj.shape[0] !== dModel || proj.shape[1] !== embedDim
          ? `${names[2]} is [${proj.shape}], expected [${dModel}, ${embedDim}]`
          : null;
  if (bad) return { ok: false, reason: "BAD_READOUT_WEIGHTS", message: bad };
  return {
    ok: true,
    readout: {
      gain: gain.data,
      bias: bias?.data ?? new Float32Array(dModel),
      eps: layerNormEps(manifest, dir, tower),
      proj: proj.data,
      dModel,
      dOut: embedDim,
    },
  };
}
