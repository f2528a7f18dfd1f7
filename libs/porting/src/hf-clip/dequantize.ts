// Pure conversions from the stored forms of a quantized or half-precision ONNX weight to its float32 values:
// - dequantizeLinear: ONNX DequantizeLinear semantics, y = (q − zero_point) · scale, per tensor (one scale) or per
//   slice along `axis` (one scale and zero point per index of that axis, as onnxruntime's per-channel quantization
//   stores the columns of a MatMul weight);
// - float16ToFloat32: IEEE 754 half-precision bits (denormals, ±Infinity and NaN included) to float32.

/** Dequantizes `q` (row-major, shape `dims`); `scale` and `zeroPoint` have one entry, or dims[axis] entries. */
export function dequantizeLinear(
  q: ArrayLike<number>,
  dims: readonly number[],
  scale: ArrayLike<number>,
  zeroPoint: ArrayLike<number> | undefined,
  axis: number,
): Float32Array {
  const out = new Float32Array(q.length);
  if (scale.length === 1) {
    const s = scale[0],
      z = zeroPoint?.[0] ?? 0;
    for (let i = 0; i < q.length; i++) out[i] = (q[i] - z) * s;
    return out;
  }
  const a = axis < 0 ? axis + dims.length : axis;
  const channels = dims[a];
  if (channels !== scale.length || (zeroPoint && zeroPoint.length !== channels))
    throw new RangeError(`${scale.length} scales for axis ${axis} of [${dims.join(", ")}]`);
  // elements after the axis share a channel; the axis repeats every `inner` elements
  let inner = 1;
  for (let k = a + 1; k < dims.length; k++) inner *= dims[k];
  const outer = q.length / (channels * inner);
  for (let o = 0, i = 0; o < outer; o++)
    for (let c = 0; c < channels; c++) {
      const s = scale[c],
        z = zeroPoint ? zeroPoint[c] : 0;
      for (let k = 0; k < inner; k++, i++) out[i] = (q[i] - z) * s;
    }
  return out;
}

/** IEEE 754 binary16 bit patterns to float32 values. */
export function float16ToFloat32(bits: ArrayLike<number>): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) {
    const h = bits[i];
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    if (exponent === 0) out[i] = sign * fraction * 2 ** -24;
    else if (exponent === 0x1f) out[i] = fraction ? NaN : sign * Infinity;
    else out[i] = sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
  }
  return out;
}
