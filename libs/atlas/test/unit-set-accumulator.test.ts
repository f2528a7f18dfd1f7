import { isAtlasError, reduceOverPositions } from "../src";
import { UnitSetAccumulator } from "../src/unit-set/unit-set-accumulator";

describe("reduceOverPositions", () => {
  // 2 examples × 2 positions × 2 units; example 1 has only 1 valid position
  const values = new Float32Array([1, -2, 3, -1, /* ex1 */ 5, 0, 9, 9]);
  it("takes the max or mean over (valid) positions", () => {
    expect(Array.from(reduceOverPositions(values, 2, 2, 2, "max"))).toEqual([3, -1, 9, 9]);
    expect(Array.from(reduceOverPositions(values, 2, 2, 2, "mean"))).toEqual([2, -1.5, 7, 4.5]);
    expect(Array.from(reduceOverPositions(values, 2, 2, 2, "max", [2, 1]))).toEqual([3, -1, 5, 0]);
    expect(() => reduceOverPositions(values, 2, 2, 2, "max", [2, 3])).toThrow(/validPositions/);
  });
});

describe("UnitSetAccumulator", () => {
  // 1 unit, 2 positions. Examples (id: positions → max): 0: (1, 3) → 3, 1: (0, 2) → 2, 2: (4, 0) → 4, 3: (0.5, pad) → 0.5
  const batch = {
    exampleIds: [0, 1, 2, 3],
    activations: new Float32Array([3, 2, 4, 0.5]),
    positionValues: new Float32Array([1, 3, 0, 2, 4, 0, 0.5, 7]),
    validPositions: [2, 2, 2, 1],
  };
  const histogram = { min: 1, max: 100, bins: 2 };

  it("feeds top-k, quantiles and position-level stats from one batch", () => {
    const acc = UnitSetAccumulator.create({
      units: 1,
      k: 2,
      positions: 2,
      histogram,
      statsOver: "positions",
      quantiles: { min: 0.25, max: 16, bins: 6, perBin: 4 },
    });
    acc.add(batch);
    const r = acc.result(0, { bands: 2, perBand: 2 });
    expect(r.top.map((e) => [e.exampleId, e.value, Array.from(e.positionValues!)])).toEqual([
      [2, 4, [4, 0]],
      [0, 3, [1, 3]],
    ]);
    // quantile bands of max 4: (0, 2] {1: 2, 3: 0.5}, (2, 4] {0, 2} are top examples → excluded from samples
    expect(r.quantiles.map((b) => b.samples.map((s) => s.exampleId))).toEqual([[1, 3], []]);
    expect(r.quantiles.map((b) => b.estimatedCount)).toEqual([2, 2]);
    // 7 real positions (the padded 7 is ignored): 1, 3, 0, 2, 4, 0, 0.5 → zero 2, underflow 1, bin [1,10) 4
    expect(r.stats).toMatchObject({ total: 7, zero: 2, underflow: 1, counts: [4, 0], positive: 5, max: 4 });
    expect(r.stats.density).toBeCloseTo(5 / 7, 12);
  });

  it("uses per-example activations for stats by default and resumes from a snapshot", () => {
    const acc = UnitSetAccumulator.create({ units: 1, k: 2, positions: 2, histogram });
    acc.add({
      ...batch,
      exampleIds: [0, 1],
      activations: batch.activations.subarray(0, 2),
      positionValues: batch.positionValues.subarray(0, 4),
      validPositions: [2, 2],
    });
    const resumed = UnitSetAccumulator.restore(JSON.parse(JSON.stringify(acc.snapshot())));
    resumed.add({
      exampleIds: [2, 3],
      activations: batch.activations.subarray(2),
      positionValues: batch.positionValues.subarray(4),
      validPositions: [2, 1],
    });
    const r = resumed.result(0);
    expect(r.stats).toMatchObject({ total: 4, underflow: 1, counts: [3, 0], max: 4 });
    expect(r.top.map((e) => e.exampleId)).toEqual([2, 0]);
    expect(resumed.examplesCount).toBe(4);
  });

  it("rejects a bad batch without changing anything", () => {
    const acc = UnitSetAccumulator.create({ units: 1, positions: 2 });
    let err: unknown;
    try {
      acc.add({ ...batch, validPositions: [2, 2, 3, 1] });
    } catch (e) {
      err = e;
    }
    expect(isAtlasError(err, "BAD_INPUT")).toBe(true);
    expect(acc.examplesCount).toBe(0);
    expect(acc.result(0).stats.total).toBe(0);
    expect(() => UnitSetAccumulator.create({ units: 1, statsOver: "positions" })).toThrow(/positions > 0/);
  });
});
