// Pure conversions from the stored forms of a quantized or half-precision ONNX weight to its float32 values:
// - dequantizeLinear: ONNX DequantizeLinear semantics, y = (q − zero_point) · scale, per tensor (one scale) or per
//   slice along `axis` (one scale and zero point per index of that axis, as onnxruntime's per-channel quantization
//   stores the columns of a MatMul weight);
// - dequantizeBlockwise: com.microsoft MatMulNBits weights (transformers.js' *_q4.onnx, onnxruntime's
//   MatMul4BitsQuantizer): B [N, blocks, blockSize·bits/8] bytes, each column's K values in blocks of `blockSize`,
//   packed low bits first, w = (q − zero point) · scale of the column's block; zero points packed the same way per
//   column, 2^(bits−1) when absent;
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

/** Geometry of a MatMulNBits weight: its attributes K, N, bits and block_size. */
export interface BlockwiseLayout {
  K: number;
  N: number;
  bits: number;
  blockSize: number;
}

/** `bits`-wide unsigned value number `index` of `bytes`, packed low bits first (bits divides 8). */
const unpacked = (bytes: ArrayLike<number>, offset: number, index: number, bits: number) =>
  (bytes[offset + Math.floor((index * bits) / 8)] >> ((index * bits) % 8)) & ((1 << bits) - 1);

/**
 * Dequantizes a MatMulNBits weight into the [K, N] (row-major) weight of x·W. `packed` holds N columns of
 * ceil(K / blockSize) blocks of blockSize·bits/8 bytes; `scales` one per (column, block); `zeroPoints` (optional)
 * the packed `bits`-wide zero points, ceil(blocks·bits/8) bytes per column.
 */
export function dequantizeBlockwise(
  packed: ArrayLike<number>,
  scales: ArrayLike<number>,
  zeroPoints: ArrayLike<number> | undefined,
  { K, N, bits, blockSize }: BlockwiseLayout,
): Float32Array {
  if (![2, 4, 8].includes(bits)) throw new Error(`MatMulNBits with ${bits}-bit weights is not read (2, 4 or 8 bits)`);
  const blocks = Math.ceil(K / blockSize);
  const blockBytes = (blockSize * bits) / 8;
  const zpBytes = Math.ceil((blocks * bits) / 8);
  if (packed.length !== N * blocks * blockBytes)
    throw new Error(`MatMulNBits weight has ${packed.length} bytes; K ${K}, N ${N} need ${N * blocks * blockBytes}`);
  if (scales.length !== N * blocks)
    throw new Error(`MatMulNBits weight has ${scales.length} scales; K ${K}, N ${N} need ${N * blocks}`);
  if (zeroPoints && zeroPoints.length !== N * zpBytes)
    throw new Error(`MatMulNBits weight has ${zeroPoints.length} zero point bytes; it needs ${N * zpBytes}`);
  const out = new Float32Array(K * N);
  const middle = 1 << (bits - 1);
  for (let n = 0; n < N; n++)
    for (let b = 0; b < blocks; b++) {
      const scale = scales[n * blocks + b];
      const zero = zeroPoints ? unpacked(zeroPoints, n * zpBytes, b, bits) : middle;
      const offset = (n * blocks + b) * blockBytes;
      for (let j = 0, k = b * blockSize; j < blockSize && k < K; j++, k++)
        out[k * N + n] = (unpacked(packed, offset, j, bits) - zero) * scale;
    }
  return out;
}

/** float32 value of every binary16 bit pattern (256 KiB, built on first use) */
let halfTable: Float32Array | undefined;

/** IEEE 754 binary16 bit patterns to float32 values (a table lookup each: a ViT-B/32 widens in well under a second). */
export function float16ToFloat32(bits: ArrayLike<number>): Float32Array {
  const table = (halfTable ??= Float32Array.from({ length: 0x10000 }, (_, h) => f16BitsToNumber(h)));
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = table[bits[i] & 0xffff];
  return out;
}
