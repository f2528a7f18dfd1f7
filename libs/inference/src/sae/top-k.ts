// Per-row top-k selection (largest values first; ties keep the lower index) over a row-major matrix.

export interface SparseRows {
  k: number;
  /** rows × k feature indices */
  indices: Int32Array;
  /** rows × k values, descending within each row */
  values: Float32Array;
}

export function topKPerRow(data: Float32Array, rows: number, width: number, k: number): SparseRows {
  const kk = Math.max(0, Math.min(k, width));
  const indices = new Int32Array(rows * kk);
  const values = new Float32Array(rows * kk);
  const heapIdx = new Int32Array(kk);
  const heapVal = new Float64Array(kk);
  // min-heap ordered by (value asc, index desc): the root is the weakest kept entry
  const weaker = (a: number, b: number) =>
    heapVal[a] < heapVal[b] || (heapVal[a] === heapVal[b] && heapIdx[a] > heapIdx[b]);
  const swap = (a: number, b: number) => {
    const i = heapIdx[a];
    heapIdx[a] = heapIdx[b];
    heapIdx[b] = i;
    const v = heapVal[a];
    heapVal[a] = heapVal[b];
    heapVal[b] = v;
  };
  const siftDown = (n: number) => {
    let p = 0;
    for (;;) {
      const l = 2 * p + 1,
        r = l + 1;
      let m = p;
      if (l < n && weaker(l, m)) m = l;
      if (r < n && weaker(r, m)) m = r;
      if (m === p) return;
      swap(p, m);
      p = m;
    }
  };
  for (let row = 0; row < rows; row++) {
    const o = row * width;
    let n = 0;
    for (let j = 0; j < width; j++) {
      const v = data[o + j];
      const vv = Number.isNaN(v) ? -Infinity : v;
      if (n < kk) {
        heapIdx[n] = j;
        heapVal[n] = vv;
        let c = n++;
        while (c > 0) {
          const p = (c - 1) >> 1;
          if (weaker(c, p)) {
            swap(c, p);
            c = p;
          } else break;
        }
      } else if (kk > 0 && vv > heapVal[0]) {
        heapIdx[0] = j;
        heapVal[0] = vv;
        siftDown(n);
      }
    }
    // pop weakest first → fill from the back so the row ends up descending
    for (let s = kk - 1; s >= 0; s--) {
      indices[row * kk + s] = heapIdx[0];
      values[row * kk + s] = data[o + heapIdx[0]];
      n--;
      if (n > 0) {
        swap(0, n);
        siftDown(n);
      }
    }
  }
  return { k: kk, indices, values };
}
