import { attentionHeadStats, neighbourPositions } from "../src";

describe("attention head stats", () => {
  // tokens, T = 3, 2 heads: head 0 = identity, head 1 = causal uniform
  const third = 1 / 3;
  const patterns = new Float64Array([
    1, 0, 0, 0, 1, 0, 0, 0, 1,
    1, 0, 0, 0.5, 0.5, 0, third, third, third,
  ]);

  it("computes CLS / self / previous-token mass and entropy by hand", () => {
    const [h0, h1] = attentionHeadStats({ patterns, batch: 1, heads: 2, seqLen: 3, clsPositions: [0], layout: { kind: "tokens" } });
    expect(h0).toEqual({ head: 0, toCls: 1 / 3, toSelf: 1, toNeighbours: 0, entropy: 0 });
    expect(h1.toSelf).toBeCloseTo(11 / 18, 12);
    expect(h1.toCls).toBeCloseTo(11 / 18, 12);
    expect(h1.toNeighbours).toBeCloseTo(5 / 12, 12);
    expect(h1.entropy).toBeCloseTo((Math.log(2) + Math.log(3)) / 3, 12);
  });

  it("ignores padded positions beyond validLengths", () => {
    const [, h1] = attentionHeadStats({ patterns, batch: 1, heads: 2, seqLen: 3, layout: { kind: "tokens" }, validLengths: [2] });
    expect(h1.toSelf).toBeCloseTo(0.75, 12);
    expect(h1.toNeighbours).toBeCloseTo(0.5, 12);
    expect(h1.entropy).toBeCloseTo(Math.log(2) / 2, 12);
    expect(h1.toCls).toBe(0);
  });

  it("finds 4- and 8-neighbours on a patch grid", () => {
    expect(neighbourPositions({ kind: "grid", rows: 2, cols: 2, firstPatch: 1 }, 5)).toEqual([[], [2, 3], [1, 4], [1, 4], [2, 3]]);
    expect(neighbourPositions({ kind: "grid", rows: 2, cols: 2, firstPatch: 1, neighbourhood: 8 }, 5)[1]).toEqual([2, 3, 4]);
    expect(() => neighbourPositions({ kind: "grid", rows: 3, cols: 2, firstPatch: 1 }, 5)).toThrow(/SHAPE_MISMATCH/);
  });

  it("computes grid stats by hand (CLS + 2×2 patches)", () => {
    // rows: CLS uniform; p1 → ½ CLS ½ p2; p2 → ½ CLS ½ p3 (diagonal); p3 → self; p4 → ½ p1 (diagonal) ½ p2 (above)
    const grid = new Float64Array([
      0.2, 0.2, 0.2, 0.2, 0.2,
      0.5, 0, 0.5, 0, 0,
      0.5, 0, 0, 0.5, 0,
      0, 0, 0, 1, 0,
      0, 0.5, 0.5, 0, 0,
    ]);
    const base = { patterns: grid, batch: 1, heads: 1, seqLen: 5, clsPositions: [0] };
    const [four] = attentionHeadStats({ ...base, layout: { kind: "grid", rows: 2, cols: 2, firstPatch: 1 } });
    expect(four.toNeighbours).toBeCloseTo(0.25, 12);
    expect(four.toCls).toBeCloseTo(0.24, 12);
    expect(four.toSelf).toBeCloseTo(0.24, 12);
    expect(four.entropy).toBeCloseTo((Math.log(5) + 3 * Math.log(2)) / 5, 12);
    const [eight] = attentionHeadStats({ ...base, layout: { kind: "grid", rows: 2, cols: 2, firstPatch: 1, neighbourhood: 8 } });
    expect(eight.toNeighbours).toBeCloseTo(0.5, 12);
  });

  it("rejects wrong shapes", () => {
    expect(() => attentionHeadStats({ patterns, batch: 1, heads: 3, seqLen: 3, layout: { kind: "tokens" } })).toThrow(/SHAPE_MISMATCH/);
    expect(() => attentionHeadStats({ patterns, batch: 1, heads: 2, seqLen: 3, clsPositions: [3], layout: { kind: "tokens" } })).toThrow(/BAD_INPUT/);
  });
});
