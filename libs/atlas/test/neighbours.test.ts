// Nearest units by direction cosine and by activation correlation, against hand-computed values; the blocked
// all-pairs pass against a brute-force reference; the same lists with the dot products from a block product.
import {
  AtlasError,
  correlationTopK,
  correlationTopKByProducts,
  cosineTopK,
  cosineTopKByProducts,
  SeededRng,
} from "../src";
import { pearson, unitProfiles } from "../src/neighbours/activation-correlation";

const R = Math.SQRT1_2;

describe("cosineTopK", () => {
  // a = (1,0), b = (1,1), c = (0,1), d = (−1,0), e = (0,0)
  const rows = Float32Array.from([1, 0, 1, 1, 0, 1, -1, 0, 0, 0]);
  const lists = cosineTopK(rows, 5, 2, 2);
  const row = (i: number) => ({
    idx: Array.from(lists.indices.subarray(i * 2, i * 2 + 2)),
    score: Array.from(lists.scores.subarray(i * 2, i * 2 + 2)),
  });

  it("ranks the other rows by cosine, ties by lower index", () => {
    expect(row(0).idx).toEqual([1, 2]); // cos(a,b) = 1/√2, cos(a,c) = 0 (cos(a,d) = −1 falls out)
    expect(row(0).score[0]).toBeCloseTo(R, 6);
    expect(row(0).score[1]).toBeCloseTo(0, 6);
    expect(row(1).idx).toEqual([0, 2]); // a and c both at 1/√2
    expect(row(1).score).toEqual([Math.fround(R), Math.fround(R)]);
    expect(row(2).idx).toEqual([1, 0]); // b at 1/√2, then a and d at 0: a first
    expect(row(3).idx).toEqual([2, 1]); // c at 0, b at −1/√2
    expect(row(3).score[1]).toBeCloseTo(-R, 6);
  });

  it("gives a zero row no neighbours and never lists it", () => {
    expect(lists.counts[4]).toBe(0);
    expect(Array.from(lists.indices.subarray(8, 10))).toEqual([-1, -1]);
    expect(Array.from(lists.indices).filter((i) => i === 4)).toHaveLength(0);
  });

  it("equals brute force for any block size", () => {
    const rng = new SeededRng(7);
    const n = 37,
      dim = 11,
      k = 5;
    const data = Float32Array.from({ length: n * dim }, () => rng.next() * 2 - 1);
    const norm = (i: number) => Math.hypot(...data.subarray(i * dim, (i + 1) * dim));
    for (const blockRows of [1, 4, 32, 100]) {
      const got = cosineTopK(data, n, dim, k, { blockRows });
      for (let i = 0; i < n; i++) {
        const all = Array.from({ length: n }, (_, j) => j)
          .filter((j) => j !== i)
          .map((j) => {
            let dot = 0;
            for (let d = 0; d < dim; d++) dot += data[i * dim + d] * data[j * dim + d];
            return { j, s: dot / (norm(i) * norm(j)) };
          })
          .sort((p, q) => q.s - p.s || p.j - q.j)
          .slice(0, k);
        expect(Array.from(got.indices.subarray(i * k, (i + 1) * k))).toEqual(all.map((p) => p.j));
        all.forEach((p, r) => expect(got.scores[i * k + r]).toBeCloseTo(p.s, 5));
      }
    }
  });

  it("refuses bad shapes, k and non-finite values with typed errors", () => {
    expect(() => cosineTopK(new Float32Array(3), 2, 2, 1)).toThrow(AtlasError);
    expect(() => cosineTopK(new Float32Array(4), 2, 2, 0)).toThrow(/k must be a positive integer/);
    expect(() => cosineTopK(Float32Array.from([1, NaN, 0, 1]), 2, 2, 1)).toThrow(/non-finite/);
  });
});

describe("activation correlation", () => {
  // unit profiles over 4 examples
  const profiles = [
    [1, 2, 3, 4], // u0
    [2, 4, 6, 8], // u1: r(u0,u1) = 1
    [4, 3, 2, 1], // u2: r(u0,u2) = −1
    [1, 0, 0, 1], // u3: r(u0,u3) = 0
    [5, 5, 5, 5], // u4: constant → no correlation
    [1, 3, 2, 4], // u5: r(u0,u5) = (2.25 − .25 − .25 + 2.25) / (√5 · √5) = 0.8
  ];
  const samples = 4,
    units = profiles.length;
  const acts = new Float32Array(samples * units);
  profiles.forEach((p, u) =>
    p.forEach((v, s) => {
      acts[s * units + u] = v;
    }),
  );

  it("pearson matches the hand-computed values", () => {
    expect(pearson(profiles[0], profiles[1])).toBeCloseTo(1, 12);
    expect(pearson(profiles[0], profiles[2])).toBeCloseTo(-1, 12);
    expect(pearson(profiles[0], profiles[3])).toBeCloseTo(0, 12);
    expect(pearson(profiles[0], profiles[5])).toBeCloseTo(0.8, 12);
    expect(pearson(profiles[0], profiles[4])).toBeNull();
  });

  it("transposes [samples × units] into unit profiles", () => {
    expect(Array.from(unitProfiles(acts, samples, units).subarray(5 * 4, 6 * 4))).toEqual([1, 3, 2, 4]);
  });

  it("lists each unit's most correlated units", () => {
    const l = correlationTopK(acts, samples, units, 2);
    expect(Array.from(l.indices.subarray(0, 2))).toEqual([1, 5]);
    expect(l.scores[0]).toBeCloseTo(1, 6);
    expect(l.scores[1]).toBeCloseTo(0.8, 6);
    // u2 is anti-correlated with u0, u1 (−1) and u5 (−0.8), uncorrelated with u3 (0)
    expect(Array.from(l.indices.subarray(4, 6))).toEqual([3, 5]);
    expect(l.scores[5]).toBeCloseTo(-0.8, 6);
    expect(l.counts[4]).toBe(0);
    for (let u = 0; u < units; u++) for (let r = 0; r < 2; r++) expect(l.indices[u * 2 + r]).not.toBe(4);
  });

  it("agrees with pearson() on random data", () => {
    const rng = new SeededRng(3);
    const s = 20,
      n = 9;
    const a = Float32Array.from({ length: s * n }, () => rng.next());
    const l = correlationTopK(a, s, n, 3);
    const prof = unitProfiles(a, s, n);
    for (let u = 0; u < n; u++) {
      for (let r = 0; r < 3; r++) {
        const v = l.indices[u * 3 + r];
        expect(l.scores[u * 3 + r]).toBeCloseTo(
          pearson(prof.subarray(u * s, (u + 1) * s), prof.subarray(v * s, (v + 1) * s))!,
          5,
        );
      }
    }
  });

  it("needs two examples", () => {
    expect(() => correlationTopK(new Float32Array(3), 1, 3, 1)).toThrow(/at least 2 examples/);
  });
});

describe("cosineTopKByProducts (dot products from a caller's block product)", () => {
  /** the exact product in float64, rounded to float32 as a Gemm would return it, with its calls recorded */
  const jsProducts = (calls: [number, number][]) => async (rows: Float32Array, n: number, dim: number) => ({
    products: async (start: number, count: number) => {
      calls.push([start, count]);
      const out = new Float32Array(count * n);
      for (let r = 0; r < count; r++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let d = 0; d < dim; d++) s += rows[(start + r) * dim + d] * rows[j * dim + d];
          out[r * n + j] = s;
        }
      return out;
    },
    close: async () => undefined,
  });

  it("ranks like cosineTopK on the hand-computed rows, in blocks of blockRows", async () => {
    // a = (1,0), b = (1,1), c = (0,1), d = (−1,0), e = (0,0)
    const rows = Float32Array.from([1, 0, 1, 1, 0, 1, -1, 0, 0, 0]);
    const calls: [number, number][] = [];
    const lists = await cosineTopKByProducts(jsProducts(calls), rows, 5, 2, 2, { blockRows: 2 });
    expect(calls).toEqual([
      [0, 2],
      [2, 2],
      [4, 1],
    ]);
    expect(Array.from(lists.indices)).toEqual([1, 2, 0, 2, 1, 0, 2, 1, -1, -1]); // as cosineTopK: ties by lower index
    expect(lists.scores[0]).toBeCloseTo(R, 6);
    expect(lists.scores[7]).toBeCloseTo(-R, 6);
    expect(Array.from(lists.counts)).toEqual([2, 2, 2, 2, 0]); // the zero row: no neighbours, nobody's neighbour
  });

  it("equals cosineTopK and correlationTopK on random data (with dead rows), centered or not", async () => {
    const rng = new SeededRng(7);
    const n = 60,
      dim = 9;
    const rows = Float32Array.from({ length: n * dim }, () => rng.next() - 0.5);
    rows.fill(0, 5 * dim, 6 * dim); // dead
    rows.fill(0.25, 9 * dim, 10 * dim); // constant: dead once centered
    for (const center of [false, true]) {
      const want = cosineTopK(rows, n, dim, 4, { center });
      const got = await cosineTopKByProducts(jsProducts([]), rows, n, dim, 4, { center, blockRows: 7 });
      expect(Array.from(got.indices)).toEqual(Array.from(want.indices));
      expect(Array.from(got.counts)).toEqual(Array.from(want.counts));
      for (let i = 0; i < want.scores.length; i++) expect(Math.abs(got.scores[i] - want.scores[i])).toBeLessThan(1e-6);
    }
    const acts = Float32Array.from({ length: 30 * n }, () => Math.max(0, rng.next() - 0.4));
    const byPearson = correlationTopK(acts, 30, n, 3);
    const byProducts = await correlationTopKByProducts(jsProducts([]), acts, 30, n, 3);
    expect(Array.from(byProducts.indices)).toEqual(Array.from(byPearson.indices));
  });

  it("refuses a product of the wrong size and bad arguments with typed errors", async () => {
    const wrong = async () => ({ products: async () => new Float32Array(3), close: async () => undefined });
    await expect(cosineTopKByProducts(wrong, Float32Array.from([1, 0, 0, 1]), 2, 2, 1)).rejects.toThrow(
      /gave 3 scores for 2 × 2/,
    );
    await expect(cosineTopKByProducts(wrong, [1, 2], 2, 2, 1)).rejects.toBeInstanceOf(AtlasError);
    await expect(correlationTopKByProducts(wrong, [1, 2], 1, 2, 1)).rejects.toThrow(/at least 2 examples/);
  });
});
