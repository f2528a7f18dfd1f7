// The UMAP layout of a unit set's neighbour graph: seeded, normalized to [0, 1], clusters kept apart, units
// without neighbours left off.
import { cosineTopK, layoutUnitMap, SeededRng } from "../src";

/** two clusters of 20 directions around orthogonal axes, plus one zero row (index 40) */
function clusters(): Float32Array {
  const rng = new SeededRng(11);
  const dim = 8,
    rows = new Float32Array(41 * dim);
  for (let i = 0; i < 40; i++) {
    for (let d = 0; d < dim; d++) rows[i * dim + d] = (rng.next() - 0.5) * 0.3;
    rows[i * dim + (i < 20 ? 0 : 1)] += 1;
  }
  return rows;
}

describe("layoutUnitMap", () => {
  const lists = cosineTopK(clusters(), 41, 8, 10);
  const a = layoutUnitMap(lists, { seed: 5, nEpochs: 200 })!;

  it("is deterministic for a seed and changes with it", () => {
    const b = layoutUnitMap(lists, { seed: 5, nEpochs: 200 })!;
    expect(Array.from(b.x)).toEqual(Array.from(a.x));
    expect(Array.from(b.y)).toEqual(Array.from(a.y));
    const c = layoutUnitMap(lists, { seed: 6, nEpochs: 200 })!;
    expect(Array.from(c.x)).not.toEqual(Array.from(a.x));
  });

  it("places every unit with neighbours inside [0, 1] and leaves the zero row off", () => {
    expect(a.placed).toBe(40);
    expect(a.epochs).toBe(200);
    expect(Number.isNaN(a.x[40]) && Number.isNaN(a.y[40])).toBe(true);
    const xs = Array.from(a.x.subarray(0, 40)),
      ys = Array.from(a.y.subarray(0, 40));
    for (const v of [...xs, ...ys]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    expect(Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys))).toBeCloseTo(1, 5);
  });

  it("keeps the two clusters apart", () => {
    const dist = (i: number, j: number) => Math.hypot(a.x[i] - a.x[j], a.y[i] - a.y[j]);
    let within = 0,
      nw = 0,
      between = 0,
      nb = 0;
    for (let i = 0; i < 40; i++)
      for (let j = i + 1; j < 40; j++) {
        if (i < 20 === j < 20) {
          within += dist(i, j);
          nw++;
        } else {
          between += dist(i, j);
          nb++;
        }
      }
    expect(within / nw).toBeLessThan(0.5 * (between / nb));
  });

  it("draws no map for fewer than 4 units with neighbours", () => {
    expect(layoutUnitMap(cosineTopK(Float32Array.from([1, 0, 0, 1, 1, 1]), 3, 2, 2))).toBeNull();
  });
});
