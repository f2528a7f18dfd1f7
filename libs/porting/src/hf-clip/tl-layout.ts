// TransformerLens layouts of CLIP weights, from the [in, out] matrices a graph multiplies with (pure functions):
// attention in-projections [d, H·dh] → W_Q/W_K/W_V [H, d, dh]; the out-projection [H·dh, d] → W_O [H, dh, d]
// (the same memory order); the patch convolution [d, C, p, p] → W_E [p·p·C, d] with rows in (py, px, c) order,
// CLIP-shapes' patch flattening (libs/model-zoo/src/export/clip-onnx.ts).

/** [d, H·dh] (column h·dh + j is head h's component j) → [H, d, dh]. */
export function splitHeadsIn(w: Float32Array, d: number, heads: number): Float32Array {
  const width = w.length / d,
    dh = width / heads;
  const out = new Float32Array(w.length);
  for (let h = 0; h < heads; h++)
    for (let i = 0; i < d; i++) for (let j = 0; j < dh; j++) out[(h * d + i) * dh + j] = w[i * width + h * dh + j];
  return out;
}

/** Conv weight [d, C, p, p] → [p·p·C, d], row (py·p + px)·C + c. */
export function patchEmbedRows(conv: Float32Array, d: number, channels: number, patch: number): Float32Array {
  const out = new Float32Array(conv.length);
  for (let o = 0; o < d; o++)
    for (let c = 0; c < channels; c++)
      for (let y = 0; y < patch; y++)
        for (let x = 0; x < patch; x++)
          out[((y * patch + x) * channels + c) * d + o] = conv[((o * channels + c) * patch + y) * patch + x];
  return out;
}
