import { attentionHeadStats } from "../src";
import { neighbourPositions } from "../src/heads/attention-stats";
import { neighbourIndex } from "../src/heads/neighbour-index";

describe("attention head stats", () => {
  // tokens, T = 3, 2 heads: head 0 = identity, head 1 = causal uniform
  const third = 1 / 3;
  const patterns = new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0.5, 0.5, 0, third, third, third]);

  it("computes CLS / self / previous-token mass and entropy by hand", () => {
    const [h0, h1] = attentionHeadStats({
      patterns,
      batch: 1,
      heads: 2,
      seqLen: 3,
      clsPositions: [0],
      layout: { kind: "tokens" },
    });
    expect(h0).toEqual({ head: 0, toCls: 1 / 3, toSelf: 1, toNeighbours: 0, entropy: 0 });
    expect(h1.toSelf).toBeCloseTo(11 / 18, 12);
    expect(h1.toCls).toBeCloseTo(11 / 18, 12);
    expect(h1.toNeighbours).toBeCloseTo(5 / 12, 12);
    expect(h1.entropy).toBeCloseTo((Math.log(2) + Math.log(3)) / 3, 12);
  });

  it("ignores padded positions beyond validLengths", () => {
    const [, h1] = attentionHeadStats({
      patterns,
      batch: 1,
      heads: 2,
      seqLen: 3,
      layout: { kind: "tokens" },
      validLengths: [2],
    });
    expect(h1.toSelf).toBeCloseTo(0.75, 12);
    expect(h1.toNeighbours).toBeCloseTo(0.5, 12);
    expect(h1.entropy).toBeCloseTo(Math.log(2) / 2, 12);
    expect(h1.toCls).toBe(0);
  });

  it("finds 4- and 8-neighbours on a patch grid", () => {
    expect(neighbourPositions({ kind: "grid", rows: 2, cols: 2, firstPatch: 1 }, 5)).toEqual([
      [],
      [2, 3],
      [1, 4],
      [1, 4],
      [2, 3],
    ]);
    expect(neighbourPositions({ kind: "grid", rows: 2, cols: 2, firstPatch: 1, neighbourhood: 8 }, 5)[1]).toEqual([
      2, 3, 4,
    ]);
    expect(() => neighbourPositions({ kind: "grid", rows: 3, cols: 2, firstPatch: 1 }, 5)).toThrow(/SHAPE_MISMATCH/);
  });

  it("computes grid stats by hand (CLS + 2×2 patches)", () => {
    // rows: CLS uniform; p1 → ½ CLS ½ p2; p2 → ½ CLS ½ p3 (diagonal); p3 → self; p4 → ½ p1 (diagonal) ½ p2 (above)
    const grid = new Float64Array([
      0.2, 0.2, 0.2, 0.2, 0.2, 0.5, 0, 0.5, 0, 0, 0.5, 0, 0, 0.5, 0, 0, 0, 0, 1, 0, 0, 0.5, 0.5, 0, 0,
    ]);
    const base = { patterns: grid, batch: 1, heads: 1, seqLen: 5, clsPositions: [0] };
    const [four] = attentionHeadStats({ ...base, layout: { kind: "grid", rows: 2, cols: 2, firstPatch: 1 } });
    expect(four.toNeighbours).toBeCloseTo(0.25, 12);
    expect(four.toCls).toBeCloseTo(0.24, 12);
    expect(four.toSelf).toBeCloseTo(0.24, 12);
    expect(four.entropy).toBeCloseTo((Math.log(5) + 3 * Math.log(2)) / 5, 12);
    const [eight] = attentionHeadStats({
      ...base,
      layout: { kind: "grid", rows: 2, cols: 2, firstPatch: 1, neighbourhood: 8 },
    });
    expect(eight.toNeighbours).toBeCloseTo(0.5, 12);
  });

  it("computes grid stats by hand over a padded batch of two items and two heads", () => {
    // item 0: all 5 positions valid; item 1: only positions 0–2 (the 9s are padding and must be ignored, so
    // query 1 keeps only neighbour 2 and query 2 only neighbour 1). head 0 as described, head 1 = identity.
    const J = 9;
    const item0head0 = [
      0.2, 0.2, 0.2, 0.2, 0.2, 0.5, 0, 0.5, 0, 0, 0.5, 0, 0, 0.5, 0, 0, 0, 0, 1, 0, 0, 0.5, 0.5, 0, 0,
    ];
    const identity5 = Array.from({ length: 25 }, (_, i) => (i % 6 === 0 ? 1 : 0));
    const item1head0 = [0.5, 0.25, 0.25, J, J, 0, 1, 0, J, J, 0.25, 0.75, 0, J, J, J, J, J, J, J, J, J, J, J, J];
    const item1head1 = identity5.map((v, i) => (i % 5 >= 3 || i >= 15 ? J : v));
    const [h0, h1] = attentionHeadStats({
      patterns: new Float64Array([...item0head0, ...identity5, ...item1head0, ...item1head1]),
      batch: 2,
      heads: 2,
      seqLen: 5,
      clsPositions: [0],
      layout: { kind: "grid", rows: 2, cols: 2, firstPatch: 1 },
      validLengths: [5, 3],
    });
    // 8 valid queries; CLS mass 1.2 + 0.75, self 1.2 + 1.5, neighbours 1.0 over 4 queries + 0.75 over 2
    expect(h0.toCls).toBeCloseTo(1.95 / 8, 12);
    expect(h0.toSelf).toBeCloseTo(2.7 / 8, 12);
    expect(h0.toNeighbours).toBeCloseTo(1.75 / 6, 12);
    expect(h0.entropy).toBeCloseTo((Math.log(5) + 5 * Math.log(2) - 0.75 * Math.log(0.75)) / 8, 12);
    expect(h1).toEqual({ head: 1, toCls: 2 / 8, toSelf: 1, toNeighbours: 0, entropy: 0 });
  });

  it("ignores CLS positions beyond an item's valid length and reports no neighbours for one-token items", () => {
    const rows = new Float64Array([
      0.5,
      0.5,
      7,
      0.25,
      0.75,
      7,
      7,
      7,
      7, // item 0, valid length 2: CLS position 2 is padding
      1,
      7,
      7,
      7,
      7,
      7,
      7,
      7,
      7, // item 1, valid length 1
    ]);
    const [withPadding] = attentionHeadStats({
      patterns: rows,
      batch: 2,
      heads: 1,
      seqLen: 3,
      clsPositions: [2],
      layout: { kind: "tokens" },
      validLengths: [2, 1],
    });
    expect(withPadding.toCls).toBe(0);
    expect(withPadding.toSelf).toBeCloseTo((0.5 + 0.75 + 1) / 3, 12);
    expect(withPadding.toNeighbours).toBeCloseTo(0.25, 12);
    expect(withPadding.entropy).toBeCloseTo((Math.log(2) - 0.25 * Math.log(0.25) - 0.75 * Math.log(0.75)) / 3, 12);
    const [single] = attentionHeadStats({
      patterns: rows.subarray(9),
      batch: 1,
      heads: 1,
      seqLen: 3,
      layout: { kind: "tokens" },
      validLengths: [1],
    });
    expect(single).toEqual({ head: 0, toCls: 0, toSelf: 1, toNeighbours: null, entropy: 0 });
  });

  it("gives float32 patterns the same results as float64 ones", () => {
    const values = [0.5, 0.25, 0.25, 0, 1, 0, 0.125, 0.375, 0.5];
    const base = { batch: 1, heads: 1, seqLen: 3, clsPositions: [0], layout: { kind: "tokens" } as const };
    expect(attentionHeadStats({ ...base, patterns: new Float32Array(values) })).toEqual(
      attentionHeadStats({ ...base, patterns: new Float64Array(values) }),
    );
  });

  it("caches neighbour lists per layout and sequence length", () => {
    const grid = { kind: "grid", rows: 2, cols: 2, firstPatch: 1 } as const;
    expect(neighbourIndex({ ...grid }, 5)).toBe(neighbourIndex({ ...grid }, 5));
    expect(neighbourIndex({ ...grid, neighbourhood: 8 }, 5)).not.toBe(neighbourIndex(grid, 5));
    const { start, keys } = neighbourIndex(grid, 6);
    expect(Array.from(start)).toEqual([0, 0, 2, 4, 6, 8, 8]);
    expect(Array.from(keys)).toEqual([2, 3, 1, 4, 1, 4, 2, 3]);
    expect(Array.from(neighbourIndex({ kind: "tokens" }, 5).keys)).toEqual([0, 1, 2, 3]);
    expect(() => neighbourIndex({ kind: "grid", rows: 3, cols: 2, firstPatch: 1 }, 5)).toThrow(/SHAPE_MISMATCH/);
  });

  it("rejects wrong shapes", () => {
    expect(() => attentionHeadStats({ patterns, batch: 1, heads: 3, seqLen: 3, layout: { kind: "tokens" } })).toThrow(
      /SHAPE_MISMATCH/,
    );
    expect(() =>
      attentionHeadStats({ patterns, batch: 1, heads: 2, seqLen: 3, clsPositions: [3], layout: { kind: "tokens" } }),
    ).toThrow(/BAD_INPUT/);
    expect(() =>
      attentionHeadStats({ patterns, batch: 1, heads: 2, seqLen: 3, layout: { kind: "tokens" }, validLengths: [4] }),
    ).toThrow(/BAD_INPUT/);
    const withNaN = Float32Array.from(patterns);
    withNaN[13] = NaN;
    expect(() =>
      attentionHeadStats({ patterns: withNaN, batch: 1, heads: 2, seqLen: 3, layout: { kind: "tokens" } }),
    ).toThrow(/NON_FINITE.*patterns\[13\] is NaN/);
  });
});
