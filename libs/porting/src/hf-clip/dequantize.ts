// Pure conversions from the stored forms of a quantized or half-precision ONNX weight to its float32 values:
// - dequantizeLinear: ONNX DequantizeLinear semantics, y = (q − zero_point) · scale, per tensor (one scale) or per
//   slice along `axis` (one scale and zero point per index of that axis, as onnxruntime's per-channel quantization
//   stores the columns of a MatMul weight);
// - float16ToFloat32: IEEE 754 half-precision bits (denormals, ±Infinity and NaN included) to float32.
import { f16BitsToNumber } from "@mmatlas/inference";

/**
 * Dequantizes `q` (row-major, shape `dims`). `scale` and `zeroPoint` each have one entry (the whole tensor) or
 * dims[axis] entries (one per slice along `axis`); they may differ (MatMulInteger allows a per-column zero point
 * with one scale, and the reverse).
 */
export function dequantizeLinear(
  q: ArrayLike<number>,
  dims: readonly number[],
  scale: ArrayLike<number>,
  zeroPoint: ArrayLike<number> | undefined,
  axis: number,
): Float32Array {
  const out = new Float32Array(q.length);
  const zeros = zeroPoint ?? [0];
  if (scale.length === 1 && zeros.length === 1) {
    const s = scale[0],
      z = zeros[0];
    for (let i = 0; i < q.length; i++) out[i] = (q[i] - z) * s;
    return out;
  }
  const a = axis < 0 ? axis + dims.length : axis;
  const channels = dims[a];
  const fits = (n: number) => n === 1 || n === channels;
  if (!fits(scale.length)) throw new RangeError(`${scale.length} scales for axis ${axis} of [${dims.join(", ")}]`);
  if (!fits(zeros.length)) throw new RangeError(`${zeros.length} zero points for axis ${axis} of [${dims.join(", ")}]`);
  // elements after the axis share a channel; the axis repeats every `inner` elements
  let inner = 1;
  for (let k = a + 1; k < dims.length; k++) inner *= dims[k];
  const outer = q.length / (channels * inner);
  for (let o = 0, i = 0; o < outer; o++)
    for (let c = 0; c < channels; c++) {
      const s = scale[scale.length === 1 ? 0 : c],
        z = zeros[zeros.length === 1 ? 0 : c];
      for (let k = 0; k < inner; k++, i++) out[i] = (q[i] - z) * s;
    }
  return out;
}

/** IEEE 754 binary16 bit patterns to float32 values. */
export function float16ToFloat32(bits: ArrayLike<number>): Float32Array {
  return Float32Array.from(bits as ArrayLike<number>, f16BitsToNumber);
}
