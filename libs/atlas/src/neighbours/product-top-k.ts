// Nearest rows by cosine with the dot products done elsewhere: the rows are normalized here (centered first when
// asked, as in cosineTopK), a caller-supplied `RowProductsFactory` multiplies blocks of them by all of them (e.g. one
// onnxruntime Gemm per block), and each block's scores are selected into the same bounded top-k lists as
// cosineTopK's (ties: lower index first; zero-norm rows have no neighbours and are nobody's). The lists equal
// cosineTopK's up to the product's float32 rounding, which can swap neighbours whose scores differ by ~1e-7.
// Memory O(n · dim + block · n).
import { AtlasError } from "../errors";
import { checkTopKArgs, clamp, normalizedRows, TopLists, type NeighbourLists } from "./cosine-top-k";

/** Dot products of rows [start, start + count) with every row: [count × n], row-major. */
export type BlockProducts = (start: number, count: number) => Promise<Float32Array>;

/** Makes the block products of `rows` ([n × dim], float32, row-major); `close` frees what it holds. */
export type RowProductsFactory = (
  rows: Float32Array,
  n: number,
  dim: number,
) => Promise<{ products: BlockProducts; close(): Promise<void> }>;

export interface ProductTopKOptions {
  /** subtract each row's mean first (Pearson correlation); default false */
  center?: boolean;
  /** rows per product call; default 256 */
  blockRows?: number;
}

/** The k most cosine-similar other rows of every row, dot products by `factory`. */
export async function cosineTopKByProducts(
  factory: RowProductsFactory,
  rows: ArrayLike<number>,
  n: number,
  dim: number,
  k: number,
  opts: ProductTopKOptions = {},
): Promise<NeighbourLists> {
  checkTopKArgs(rows, n, dim, k, "cosineTopKByProducts");
  const { data, live } = normalizedRows(rows, n, dim, opts.center ?? false);
  const lists = new TopLists(n, k);
  if (n === 0) return lists.finish();
  const block = Math.max(1, opts.blockRows ?? 256);
  const { products, close } = await factory(Float32Array.from(data), n, dim);
  try {
    for (let start = 0; start < n; start += block) {
      const count = Math.min(block, n - start);
      const scores = await products(start, count);
      if (scores.length !== count * n)
        throw new AtlasError("SHAPE_MISMATCH", `row products gave ${scores.length} scores for ${count} × ${n}`);
      selectBlock(lists, scores, start, count, n, live);
    }
  } finally {
    await close();
  }
  return lists.finish();
}

/** Pushes a block's scores (rows [start, start + count) against all n rows) into the lists, self and dead rows skipped. */
function selectBlock(
  lists: TopLists,
  scores: Float32Array,
  start: number,
  count: number,
  n: number,
  live: Uint8Array,
): void {
  for (let r = 0; r < count; r++) {
    const i = start + r;
    if (!live[i]) continue;
    const o = r * n;
    for (let j = 0; j < n; j++) if (j !== i && live[j]) lists.push(i, j, clamp(scores[o + j]));
  }
}
