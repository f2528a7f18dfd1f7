// A 2D map of a unit set: UMAP (umap-js) over the units' nearest-neighbour graph. The graph is the one the
// neighbour lists already hold (cosine of directions or activation correlation; distance = 1 − similarity), handed
// to UMAP as its precomputed kNN, so UMAP's own approximate neighbour search never runs. Seeded: the same lists and
// seed give the same layout. Units without neighbours (zero direction, constant activations) get no point.
import { UMAP } from "umap-js";
import { AtlasError } from "../errors";
import type { NeighbourLists } from "../neighbours/cosine-top-k";
import { SeededRng } from "../util/rng";

export interface UnitMapOptions {
  /** default 42 */
  seed?: number;
  /** optimisation epochs; default umap-js' own (500 up to 2,500 points, fewer above) */
  nEpochs?: number;
  /** default 0.1 (umap-js' default) */
  minDist?: number;
  /** neighbours per point used by UMAP (self excluded); default: all of the lists' k */
  neighbours?: number;
}

export interface UnitMapLayout {
  /** `x[i]`, `y[i]` in [0, 1] (the longer side spans [0, 1], the other is centered); NaN for a unit without a point */
  x: Float32Array;
  y: Float32Array;
  /** units with a point */
  placed: number;
  epochs: number;
}

/** Fewest units with neighbours that a map is drawn for. */
export const MIN_MAP_UNITS = 4;

/** Lays out the units of `lists` in 2D; null when fewer than MIN_MAP_UNITS units have neighbours. */
export function layoutUnitMap(lists: NeighbourLists, opts: UnitMapOptions = {}): UnitMapLayout | null {
  const { n, k, indices, scores, counts } = lists;
  const members: number[] = [];
  for (let i = 0; i < n; i++) if (counts[i] > 0) members.push(i);
  const x = new Float32Array(n).fill(NaN),
    y = new Float32Array(n).fill(NaN);
  if (members.length < MIN_MAP_UNITS) return null;
  const wanted = opts.neighbours ?? k;
  if (!Number.isInteger(wanted) || wanted < 1 || wanted > k)
    throw new AtlasError("BAD_OPTION", `neighbours must be an integer in 1..${k}, got ${wanted}`);
  // UMAP needs more points than neighbours (self included), and the same list length for every point
  let m = Math.min(wanted, members.length - 2);
  for (const i of members) m = Math.min(m, counts[i]);
  const slot = new Map(members.map((u, s) => [u, s]));
  const knnIndices: number[][] = [],
    knnDistances: number[][] = [];
  for (const u of members) {
    const ids = [slot.get(u)!],
      dist = [0];
    for (let r = 0; r < m; r++) {
      ids.push(slot.get(indices[u * k + r])!);
      dist.push(Math.max(0, 1 - scores[u * k + r]));
    }
    knnIndices.push(ids);
    knnDistances.push(dist);
  }
  const rng = new SeededRng(opts.seed ?? 42);
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: m + 1,
    minDist: opts.minDist ?? 0.1,
    nEpochs: opts.nEpochs,
    random: () => rng.next(),
  });
  umap.setPrecomputedKNN(knnIndices, knnDistances);
  // with a precomputed kNN, umap-js only reads the number of points from X
  const epochs = umap.initializeFit(members.map(() => []));
  for (let e = 0; e < epochs; e++) umap.step();
  const embedding = umap.getEmbedding();
  let minX = Infinity,
    maxX = -Infinity,
    minY = Infinity,
    maxY = -Infinity;
  for (const [px, py] of embedding) {
    minX = Math.min(minX, px);
    maxX = Math.max(maxX, px);
    minY = Math.min(minY, py);
    maxY = Math.max(maxY, py);
  }
  const span = Math.max(maxX - minX, maxY - minY) || 1;
  const offX = (span - (maxX - minX)) / 2,
    offY = (span - (maxY - minY)) / 2;
  members.forEach((u, s) => {
    x[u] = (embedding[s][0] - minX + offX) / span;
    y[u] = (embedding[s][1] - minY + offY) / span;
  });
  return { x, y, placed: members.length, epochs };
}
