import { isAtlasError, LogBins, UnitStatsAccumulator } from "../src";

describe("LogBins", () => {
  it("spaces edges logarithmically and bins values into [edge_i, edge_i+1)", () => {
    const b = new LogBins({ min: 1e-3, max: 1e3, bins: 6 });
    [1e-3, 1e-2, 1e-1, 1, 10, 100, 1000].forEach((e, i) => expect(b.edges[i]).toBeCloseTo(e, 12));
    const c = new LogBins({ min: 1, max: 100, bins: 2 });
    expect(c.indexOf(1)).toBe(0);
    expect(c.indexOf(9.999)).toBe(0);
    expect(c.indexOf(10)).toBe(1);
    expect(c.indexOf(99.9)).toBe(1);
  });

  it("rejects a bad range", () => {
    expect(() => new LogBins({ min: 0 })).toThrow(/min/);
    expect(() => new LogBins({ min: 2, max: 1 })).toThrow(/max/);
  });
});

describe("UnitStatsAccumulator", () => {
  // edges [1, 10, 100]. Unit 0 rows: -1 (negative), 0 (zero), 0.5 (underflow), 1 and 9.99 (bin 0),
  // 10 and 50 (bin 1), 100 and 200 (overflow). Unit 1 is 0 on every row.
  const unit0 = [-1, 0, 0.5, 1, 9.99, 10, 50, 100, 200];
  const rows = new Float64Array(unit0.flatMap((v) => [v, 0]));

  it("counts, density, max, min and mean on a hand case, across batches", () => {
    const acc = new UnitStatsAccumulator({ units: 2, min: 1, max: 100, bins: 2 });
    acc.add(rows.subarray(0, 8));
    acc.add(rows.subarray(8));
    const s = acc.result(0);
    expect(s.total).toBe(9);
    expect(s.negative).toBe(1);
    expect(s.zero).toBe(1);
    expect(s.underflow).toBe(1);
    expect(s.counts).toEqual([2, 2]);
    expect(s.overflow).toBe(2);
    expect(s.positive).toBe(7);
    expect(s.density).toBeCloseTo(7 / 9, 12);
    expect(s.max).toBe(200);
    expect(s.min).toBe(-1);
    expect(s.mean).toBeCloseTo(370.49 / 9, 10);
    expect(s.edges).toHaveLength(3);
    const z = acc.result(1);
    expect([z.zero, z.positive, z.density, z.max, z.mean]).toEqual([9, 0, 0, 0, 0]);
  });

  it("reports null max/mean before any row and resumes from a snapshot", () => {
    const acc = new UnitStatsAccumulator({ units: 2, min: 1, max: 100, bins: 2 });
    expect(acc.result(0)).toMatchObject({ total: 0, density: 0, max: null, mean: null });
    const empty = UnitStatsAccumulator.restore(JSON.parse(JSON.stringify(acc.snapshot())));
    empty.add(rows.subarray(0, 8));
    const resumed = UnitStatsAccumulator.restore(JSON.parse(JSON.stringify(empty.snapshot())));
    resumed.add(rows.subarray(8));
    expect(resumed.result(0)).toMatchObject({ total: 9, counts: [2, 2], overflow: 2, max: 200, min: -1 });
  });

  it("rejects ragged or non-finite input", () => {
    const acc = new UnitStatsAccumulator({ units: 2 });
    expect(() => acc.add(new Float32Array(3))).toThrow(expect.objectContaining({ code: "SHAPE_MISMATCH" }));
    let err: unknown;
    try {
      acc.add(new Float32Array([1, Infinity]));
    } catch (e) {
      err = e;
    }
    expect(isAtlasError(err, "NON_FINITE")).toBe(true);
    expect(acc.rows).toBe(0);
  });
});
