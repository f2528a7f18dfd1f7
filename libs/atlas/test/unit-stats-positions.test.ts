// The one-sweep path over hook tensors: LogBins' value slots (slotOf, the float32 slot table) and
// UnitStatsAccumulator.addPositions (statistics of the real positions + per-example max + finiteness), on hand cases
// and bit for bit against add(rows of the real positions) + reduceOverPositions; its two sweeps against each other.
import { isAtlasError, LogBins, reduceOverPositions, UnitStatsAccumulator } from "../src";

const f32Bits = (v: number) => new Int32Array(Float32Array.of(v).buffer)[0];

describe("LogBins value slots", () => {
  // edges [1, 10, 100]: slots negative 0, zero 1, underflow 2, bin 0 → 3, bin 1 → 4, overflow 5
  const b = new LogBins({ min: 1, max: 100, bins: 2 });

  it("slotOf on a hand case", () => {
    const cases: [number, number][] = [
      [-Infinity, 0],
      [-5, 0],
      [-1e-45, 0],
      [-0, 1],
      [0, 1],
      [1e-45, 2],
      [0.999, 2],
      [1, 3],
      [9.99, 3],
      [10, 4],
      [99.9, 4],
      [100, 5],
      [Infinity, 5],
      [NaN, 5],
    ];
    expect(cases.map(([v]) => b.slotOf(v))).toEqual(cases.map(([, s]) => s));
  });

  it("the float32 slot table is slotOf or -1 (ambiguous) on a dense sweep, and -1 only near edges and zero", () => {
    const table = b.float32SlotTable();
    expect(table).toHaveLength(1 << 17);
    expect(b.float32SlotTable()).toBe(table); // built once
    const key = (v: number) => f32Bits(v) >>> 15;
    // ±0 share their keys with denormals; 1, 10 and 100 start their keys (no low mantissa bits)
    expect([key(0), key(-0), key(1), key(10), key(100)].map((k) => table[k])).toEqual([-1, -1, 3, 4, 5]);
    // an edge inside a key: √1000 ≈ 31.6 between bins 0 and 1
    const c = new LogBins({ min: 1, max: 1000, bins: 2 });
    expect(c.float32SlotTable()[key(Math.sqrt(1000))]).toBe(-1);
    expect(c.float32SlotTable()[key(30)]).toBe(3);
    expect([key(-3), key(0.5), key(5), key(50), key(1e30)].map((k) => table[k])).toEqual([0, 2, 3, 4, 5]);
    let ambiguous = 0;
    const wrong: number[] = [];
    for (let i = 0; i < 200_000; i++) {
      const v = Math.fround((i % 2 ? -1 : 1) * Math.pow(10, -6 + (12 * i) / 200_000));
      const slot = table[key(v)];
      if (slot === -1) ambiguous++;
      else if (slot !== b.slotOf(v)) wrong.push(v);
    }
    expect(wrong).toEqual([]);
    expect(ambiguous).toBeLessThan(2_000);
  });
});

describe("UnitStatsAccumulator.addPositions", () => {
  // 2 examples × 3 positions × 2 units; example 1 has 2 real positions (its last is padding, never counted)
  const values = Float32Array.from([
    /* e0 t0 */ -1, 0, /* t1 */ 5, 0.5, /* t2 */ 50, 0, /* e1 t0 */ 2, 200, /* t1 */ 0, -3, /* t2 pad */ 999, 999,
  ]);

  it("statistics of the real positions and the per-example max on a hand case", () => {
    const acc = new UnitStatsAccumulator({ units: 2, min: 1, max: 100, bins: 2 });
    const max = acc.addPositions(values, 2, 3, [3, 2]);
    expect(Array.from(max)).toEqual([50, 0.5, 2, 200]);
    expect(acc.rows).toBe(5);
    // unit 0 over e0 t0..t2, e1 t0..t1: -1, 5, 50, 2, 0
    expect(acc.result(0)).toMatchObject({ negative: 1, zero: 1, underflow: 0, counts: [2, 1], overflow: 0 });
    expect(acc.result(0)).toMatchObject({ max: 50, min: -1, mean: 56 / 5, positive: 3 });
    // unit 1: 0, 0.5, 0, 200, -3
    expect(acc.result(1)).toMatchObject({ negative: 1, zero: 2, underflow: 1, counts: [0, 0], overflow: 1 });
    expect(acc.result(1)).toMatchObject({ max: 200, min: -3, mean: 197.5 / 5 });
  });

  it("equals add(rows of the real positions) + reduceOverPositions bit for bit, across batches", () => {
    const U = 7,
      P = 5;
    const a = new UnitStatsAccumulator({ units: U, min: 1e-3, max: 1e2, bins: 40 });
    const b = new UnitStatsAccumulator({ units: U, min: 1e-3, max: 1e2, bins: 40 });
    let seed = 1;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    for (let batch = 0; batch < 4; batch++) {
      const n = 9;
      const v = Float32Array.from({ length: n * P * U }, () => {
        const x = rnd();
        return x < -0.6 ? 0 : x < 0 ? x * 0.01 : Math.pow(10, 5 * x - 3.5);
      });
      const valid = Array.from({ length: n }, (_, e) => 1 + ((e * 3 + batch) % P));
      const rows: number[] = [];
      for (let e = 0; e < n; e++) rows.push(...v.subarray(e * P * U, (e * P + valid[e]) * U));
      a.add(Float32Array.from(rows));
      expect(b.addPositions(v, n, P, valid)).toEqual(reduceOverPositions(v, n, P, U, "max", valid));
      expect(b.snapshot()).toEqual(a.snapshot());
    }
    // without validPositions every position is real
    const v = Float32Array.from({ length: 3 * P * U }, () => rnd());
    a.add(v);
    expect(b.addPositions(v, 3, P)).toEqual(reduceOverPositions(v, 3, P, U, "max"));
    expect(b.snapshot()).toEqual(a.snapshot());
  });

  it("both sweeps (by unit, by position skipping zeros) give the same state bit for bit, at every sparsity", () => {
    const U = 11,
      P = 6,
      n = 13;
    let seed = 3;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (const zeroShare of [0, 0.3, 0.9, 1]) {
      const byUnit = new UnitStatsAccumulator({ units: U, min: 1e-3, max: 1e2, bins: 40 });
      const byPosition = new UnitStatsAccumulator({ units: U, min: 1e-3, max: 1e2, bins: 40 });
      const auto = new UnitStatsAccumulator({ units: U, min: 1e-3, max: 1e2, bins: 40 });
      for (let batch = 0; batch < 3; batch++) {
        // exact zeros, -0, negatives (example maxima below 0 too), denormals, values on both sides of the range
        const v = Float32Array.from({ length: n * P * U }, (_, i) => {
          if (rnd() < zeroShare) return 0;
          const x = rnd();
          if (x < 0.05) return -0;
          if (x < 0.1) return 1e-42;
          if (x < 0.4) return -x * 3;
          return Math.pow(10, 6 * x - 4) * (i % 3 === 0 ? -1 : 1);
        });
        const valid = Array.from({ length: n }, (_, e) => 1 + ((e * 5 + batch) % P));
        // a zero max is +0 (reduceOverPositions keeps whichever zero came first)
        const expected = reduceOverPositions(v, n, P, U, "max", valid).map((x) => (x === 0 ? 0 : x));
        expect(byUnit.addPositions(v.slice(), n, P, valid, "by-unit")).toEqual(expected);
        expect(byPosition.addPositions(v.slice(), n, P, valid, "by-position")).toEqual(expected);
        expect(auto.addPositions(v.slice(), n, P, valid)).toEqual(expected);
        expect(byPosition.snapshot()).toEqual(byUnit.snapshot());
        expect(auto.snapshot()).toEqual(byUnit.snapshot());
      }
      expect(byUnit.rows).toBeGreaterThan(0);
      if (zeroShare === 1) expect(byPosition.result(0)).toMatchObject({ zero: byPosition.rows, max: 0, min: 0 });
    }
  });

  it("a unit that is 0 at some positions and negative at the others has max 0; all-negative keeps its max", () => {
    // 1 example × 3 positions × 3 units: unit 0 is -2, 0, -1; unit 1 is -2, -3, -1; unit 2 is -0, 0, 5
    const v = Float32Array.from([-2, -2, -0, 0, -3, 0, -1, -1, 5]);
    for (const sweep of ["by-unit", "by-position"] as const) {
      const acc = new UnitStatsAccumulator({ units: 3, min: 1, max: 100, bins: 2 });
      expect(Array.from(acc.addPositions(v.slice(), 1, 3, undefined, sweep))).toEqual([0, -1, 5]);
      expect(acc.result(0)).toMatchObject({ max: 0, min: -2, zero: 1, negative: 2 });
      expect(acc.result(1)).toMatchObject({ max: -1, min: -3, zero: 0, negative: 3 });
      // -0 and 0 are both zeros; a zero min is +0 whichever came first
      expect(acc.result(2)).toMatchObject({ max: 5, min: 0, zero: 2, negative: 0, counts: [1, 0] });
      expect(Object.is(acc.result(2).min, 0)).toBe(true);
    }
  });

  it("counts 150,000 rows of one call in one bin exactly, like add does", () => {
    // 5 examples × 30,000 positions; one unit sees the same value at every position (no narrow scratch counter may
    // wrap)
    const U = 2,
      P = 30_000,
      n = 5;
    const v = new Float32Array(n * P * U);
    for (let i = 0; i < v.length; i += U) {
      v[i] = 0.5;
      v[i + 1] = ((i / U) % 7) - 3;
    }
    const a = new UnitStatsAccumulator({ units: U, min: 1e-3, max: 1e2, bins: 10 });
    const b = new UnitStatsAccumulator({ units: U, min: 1e-3, max: 1e2, bins: 10 });
    a.add(v);
    expect(b.addPositions(v, n, P)).toEqual(reduceOverPositions(v, n, P, U, "max"));
    expect(b.snapshot()).toEqual(a.snapshot());
    expect(b.result(0).counts.reduce((x, y) => x + y, 0)).toBe(n * P);
  });

  it("a NaN/±Infinity at a real position throws NON_FINITE and changes nothing; padding is not checked", () => {
    const acc = new UnitStatsAccumulator({ units: 2, min: 1, max: 100, bins: 2 });
    acc.addPositions(values, 2, 3, [3, 2]);
    const before = acc.snapshot();
    for (const sweep of ["by-unit", "by-position", "auto"] as const)
      for (const bad of [NaN, Infinity, -Infinity]) {
        const v = values.slice();
        v[8] = bad; // e1 t1 unit 0
        let err: unknown;
        try {
          acc.addPositions(v, 2, 3, [3, 2], sweep);
        } catch (e) {
          err = e;
        }
        expect(isAtlasError(err, "NON_FINITE")).toBe(true);
        expect((err as Error).message).toMatch(/values\[8\] is .* \(example 1, position 1, unit 0\)/);
        expect(acc.snapshot()).toEqual(before);
      }
    const padded = values.slice();
    padded[10] = NaN; // e1 t2: padding
    expect(() => acc.addPositions(padded, 2, 3, [3, 2])).not.toThrow();
  });

  it("rejects a bad shape or validPositions, changing nothing", () => {
    const acc = new UnitStatsAccumulator({ units: 2 });
    expect(() => acc.addPositions(new Float32Array(5), 1, 3)).toThrow(
      expect.objectContaining({ code: "SHAPE_MISMATCH" }),
    );
    expect(() => acc.addPositions(values, 2, 3, [3, 4])).toThrow(expect.objectContaining({ code: "BAD_INPUT" }));
    expect(() => acc.addPositions(values, 2, 3, [0, 2])).toThrow(expect.objectContaining({ code: "BAD_INPUT" }));
    expect(() => acc.addPositions(values, 2, 3, [3, 1.5], "by-position")).toThrow(
      expect.objectContaining({ code: "BAD_INPUT" }),
    );
    expect(acc.rows).toBe(0);
    expect(acc.result(0).max).toBeNull();
  });
});
