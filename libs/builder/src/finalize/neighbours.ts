// Similar units and the 2D map of one unit set, computed in finalize: nearest units by output-direction cosine
// (MLP neurons: W_out rows; SAE features: decoder rows) and by Pearson correlation of the probe-set activations the
// labels were computed from, then a seeded UMAP of one of those neighbour graphs (directions when the set has them).
// Cost per set: n² · d / 2 multiply-adds per kind (d = d_model for directions, probe size for correlation) and
// UMAP's epochs over n · 15 edges; memory O(n · d). Sets above PRODUCTS_FROM multiply-adds get their dot products
// from `products` (onnxruntime's Gemm in a build, float32), smaller ones from the exact float64 JavaScript pass.
import {
  correlationTopK,
  correlationTopKByProducts,
  cosineTopK,
  cosineTopKByProducts,
  layoutUnitMap,
  type NeighbourLists,
  type RowProductsFactory,
  type UnitMapLayout,
} from "@mmatlas/atlas";

/** neighbours stored per unit and kind */
export const STORED_NEIGHBOURS = 10;
/** neighbours per unit the map's UMAP graph uses (its n_neighbors is this + 1, the point itself) */
export const MAP_NEIGHBOURS = 14;
/** UMAP epochs: umap-js' default is 500 for small sets; 200 (UMAP's default for large sets) is stable here and 2.5× cheaper */
export const MAP_EPOCHS = 200;
export const MAP_SEED = 42;
/** multiply-adds (n² · d / 2) from which a set's dot products go to `products`: ≈ 50 ms of the JavaScript pass */
export const PRODUCTS_FROM = 25_000_000;

export type NeighbourKindName = "DECODER_COSINE" | "ACTIVATION_CORRELATION";

export interface UnitSetNeighbours {
  lists: { kind: NeighbourKindName; lists: NeighbourLists }[];
  map: { source: NeighbourKindName; layout: UnitMapLayout } | null;
  seconds: { neighbours: number; map: number };
}

export interface NeighbourInputs {
  units: number;
  /** [units × dim] output directions, or null when the set has none */
  directions: { data: ArrayLike<number>; dim: number } | null;
  /** [probe × units] activations (max over positions), or null without a probe set */
  activations: { data: ArrayLike<number>; probe: number } | null;
}

export interface NeighbourOptions {
  /** dot products of large sets (e.g. onnxRowProducts() of @mmatlas/inference); without it all run in JavaScript */
  products?: RowProductsFactory;
  /** multiply-adds from which `products` is used (default PRODUCTS_FROM) */
  productsFrom?: number;
}

export async function unitSetNeighbours(
  input: NeighbourInputs,
  opts: NeighbourOptions = {},
): Promise<UnitSetNeighbours> {
  const k = Math.max(STORED_NEIGHBOURS, MAP_NEIGHBOURS);
  const n = input.units;
  const byProducts = (dim: number) => opts.products && (n * n * dim) / 2 >= (opts.productsFrom ?? PRODUCTS_FROM);
  const t0 = performance.now();
  const lists: UnitSetNeighbours["lists"] = [];
  if (n >= 2 && input.directions) {
    const { data, dim } = input.directions;
    lists.push({
      kind: "DECODER_COSINE",
      lists: byProducts(dim)
        ? await cosineTopKByProducts(opts.products!, data, n, dim, k)
        : cosineTopK(data, n, dim, k),
    });
  }
  if (n >= 2 && input.activations && input.activations.probe >= 2) {
    const { data, probe } = input.activations;
    lists.push({
      kind: "ACTIVATION_CORRELATION",
      lists: byProducts(probe)
        ? await correlationTopKByProducts(opts.products!, data, probe, n, k)
        : correlationTopK(data, probe, n, k),
    });
  }
  const t1 = performance.now();
  const source = lists[0];
  const layout = source
    ? layoutUnitMap(source.lists, { seed: MAP_SEED, nEpochs: MAP_EPOCHS, neighbours: MAP_NEIGHBOURS })
    : null;
  const t2 = performance.now();
  return {
    lists,
    map: layout ? { source: source.kind, layout } : null,
    seconds: { neighbours: (t1 - t0) / 1000, map: (t2 - t1) / 1000 },
  };
}
