// One feature vector per example from a hook's activations [examples × positions × width], for linear probing.
// Residual-stream hooks (and SAE features of one) are read at the tower's read-out position, the one the
// embedding is pooled from: the CLS token (position 0) in the vision tower, the <eos> token in the text tower —
// what the model itself passes on to its embedding, as in the probing literature on ViTs / CLIP. MLP hooks are
// averaged over the example's valid positions (vision: all; text: up to and including <eos>): MLP neurons fire
// on patches and tokens, and the CLS token's MLP alone would miss what they detect elsewhere.
// Attention-pattern hooks are not probed (they are head × position × position maps, not features).

export type PoolMode = "readout" | "mean";

/** The pooling of a manifest hook kind: read-out position for the residual stream, mean for MLP; null = not probed. */
export function poolModeOfHook(kind: string): PoolMode | null {
  const k = kind.toUpperCase();
  if (k === "RESID") return "readout";
  if (k === "MLP" || k.startsWith("MLP_")) return "mean";
  return null;
}

/**
 * Pools activations [n × positions × width] (or [n × width], returned as is) into [n × width].
 * `readout[i]`: example i's read-out position; `valid[i]`: its number of valid positions (default all).
 */
export function poolFeatures(
  data: Float32Array,
  dims: readonly number[],
  mode: PoolMode,
  readout: readonly number[],
  valid?: readonly number[],
): { features: Float32Array; width: number } {
  const n = dims[0];
  const width = dims[dims.length - 1];
  if (dims.length === 2) return { features: data, width };
  if (dims.length !== 3) throw new Error(`cannot pool a hook of shape [${dims.join(", ")}]`);
  const positions = dims[1];
  const out = new Float32Array(n * width);
  for (let i = 0; i < n; i++) {
    const base = i * positions * width;
    if (mode === "readout") {
      const p = readout[i];
      if (!(p >= 0 && p < positions))
        throw new Error(`read-out position ${p} of example ${i} outside [0, ${positions})`);
      out.set(data.subarray(base + p * width, base + (p + 1) * width), i * width);
    } else {
      const count = Math.min(Math.max(valid?.[i] ?? positions, 1), positions);
      const row = out.subarray(i * width, (i + 1) * width);
      for (let p = 0; p < count; p++) {
        const o = base + p * width;
        for (let j = 0; j < width; j++) row[j] += data[o + j];
      }
      for (let j = 0; j < width; j++) row[j] /= count;
    }
  }
  return { features: out, width };
}
