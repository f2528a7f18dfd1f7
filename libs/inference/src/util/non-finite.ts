// Counts the NaN / ±Infinity values of a tensor (and where the first one is), for the checks that refuse corrupt
// weights and models whose run gives non-finite activations.

/** NaN / ±Infinity values in `values`: how many, and the flat index of the first (-1 when there is none). */
export function countNonFinite(values: ArrayLike<number>): { count: number; first: number } {
  let count = 0,
    first = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    // v - v is 0 for every finite number and NaN for NaN and ±Infinity (cheaper than Number.isFinite per value)
    if (v - v !== 0) {
      if (count++ === 0) first = i;
    }
  }
  return { count, first };
}

/** "3 of 64 values (first at flat index 5)" */
export function describeNonFinite(found: { count: number; first: number }, total: number): string {
  return `${found.count} of ${total} value${total === 1 ? "" : "s"} (first at flat index ${found.first})`;
}
