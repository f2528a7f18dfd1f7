// Network Dissection: bilinear upsampling, exact top-quantile thresholds, dataset IoU — hand-computed fixtures.
import { DissectionIouAccumulator, networkDissection, type ExampleConceptMask } from "../src/labels/network-dissection";
import { DissectionThresholds, quantileFromTop, topValuesNeeded } from "../src/labels/network-dissection-threshold";
import { bilinearAxis, thresholdUpsampled, upsampleBilinear } from "../src/labels/network-dissection-upsample";
import { SeededRng } from "../src/util/rng";

const expectClose = (actual: ArrayLike<number>, expected: number[], digits = 12) => {
  expect(actual.length).toBe(expected.length);
  expected.forEach((v, i) => expect(actual[i]).toBeCloseTo(v, digits));
};

/** A 4×4 binary mask with ones at the given (row, col) cells. */
const mask4 = (cells: [number, number][]): Uint8Array => {
  const m = new Uint8Array(16);
  for (const [r, c] of cells) m[r * 4 + c] = 1;
  return m;
};

describe("upsampleBilinear (pixel centres, align_corners = false)", () => {
  it("maps a 2×2 grid to 4×4: source coordinates clamp(−0.25, 0.25, 0.75, 1.25) → weights (0, ¼, ¾, 1)", () => {
    // v(y, x) = (1 − r_y)[(1 − r_x)·0 + r_x·4] + r_y[(1 − r_x)·8 + r_x·16], r = (0, ¼, ¾, 1)
    expectClose(
      upsampleBilinear([0, 4, 8, 16], 2, 2, 4, 4),
      [0, 1, 3, 4, 2, 3.25, 5.75, 7, 6, 7.75, 11.25, 13, 8, 10, 14, 16],
    );
  });

  it("handles non-integer factors: 3 → 5 samples (−0.2→0, 0.4, 1, 1.6, 2.2→2) and 2 → 3 gives the midpoint", () => {
    expectClose(upsampleBilinear([0, 10, 20], 1, 3, 1, 5), [0, 4, 10, 16, 20]);
    expectClose(upsampleBilinear([2, 6], 1, 2, 1, 3), [2, 4, 6]);
    expectClose(upsampleBilinear([7], 1, 1, 2, 3), [7, 7, 7, 7, 7, 7]);
  });

  it("reads one unit out of a [positions × units] tensor with offset and stride", () => {
    // positions: CLS then the 2×2 grid; units: 3 — unit 1 holds the grid (0, 4, 8, 16)
    const tensor = [9, 9, 9, -1, 0, -1, -1, 4, -1, -1, 8, -1, -1, 16, -1];
    expect(Array.from(upsampleBilinear(tensor, 2, 2, 4, 4, undefined, 3 + 1, 3))).toEqual(
      Array.from(upsampleBilinear([0, 4, 8, 16], 2, 2, 4, 4)),
    );
    expect(() => upsampleBilinear(tensor, 2, 2, 4, 4, undefined, 3 + 2, 4)).toThrow(/SHAPE_MISMATCH/);
  });

  it("thresholds the upsampled map exactly, evaluating only pixels next to cells above the threshold", () => {
    // 2×2 (0, 4, 8, 16) → 4×4 (see above) > 5: (5.75, 7), (6, 7.75, 11.25, 13), (8, 10, 14, 16)
    const axes = { rows: bilinearAxis(2, 4), cols: bilinearAxis(2, 4) };
    const active = new Uint8Array(16);
    expect(thresholdUpsampled([0, 4, 8, 16], 2, 2, axes, 5, active)).toBe(10);
    expect(Array.from(active)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(thresholdUpsampled([0, 4, 8, 16], 2, 2, axes, 16, active)).toBe(0);
    expect(active.every((v) => v === 0)).toBe(true);
    const rng = new SeededRng(4);
    const big = { rows: bilinearAxis(5, 32), cols: bilinearAxis(6, 27) };
    const out = new Uint8Array(32 * 27);
    for (let trial = 0; trial < 50; trial++) {
      const map = Array.from({ length: 30 }, () => rng.next());
      const t = 0.5 + rng.next() * 0.5;
      const full = upsampleBilinear(map, 5, 6, 32, 27);
      const area = thresholdUpsampled(map, 5, 6, big, t, out);
      expect(Array.from(out)).toEqual(Array.from(full, (v) => (v > t ? 1 : 0)));
      expect(area).toBe(out.reduce((a, v) => a + v, 0));
    }
  });

  it("builds per-axis sampling tables", () => {
    const axis = bilinearAxis(2, 4);
    expect(Array.from(axis.lo)).toEqual([0, 0, 0, 1]);
    expect(Array.from(axis.hi)).toEqual([1, 1, 1, 1]);
    expect(Array.from(axis.w)).toEqual([0, 0.25, 0.75, 0]);
  });
});

describe("top-quantile thresholds", () => {
  it("reads the linear-interpolated (1 − q) quantile from the top values (numpy's default)", () => {
    // np.quantile(1..10, 0.75): h = 9·0.75 = 6.75 → 7 + 0.75·(8 − 7) = 7.75; needs the top 10 − 6 = 4 values
    expect(topValuesNeeded(10, 0.25)).toBe(4);
    expect(quantileFromTop([7, 8, 9, 10], 10, 0.25)).toBeCloseTo(7.75, 12);
    expect(() => quantileFromTop([8, 9, 10], 10, 0.25)).toThrow(/BAD_INPUT/);
  });

  it("gives Bau et al.'s 0.995 quantile of 0..999 as 994.005, keeping 6 values per unit", () => {
    const rng = new SeededRng(3);
    const values = Float64Array.from({ length: 1000 }, (_, i) => i);
    for (let i = values.length - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      [values[i], values[j]] = [values[j], values[i]];
    }
    // 250 examples of a 2×2 map of one unit
    const t = new DissectionThresholds({
      units: 1,
      positions: 4,
      grid: { rows: 2, cols: 2, firstPatch: 0 },
      totalExamples: 250,
    });
    expect(t.capacity).toBe(6);
    for (let b = 0; b < 250; b += 7) t.add(values.subarray(4 * b, 4 * Math.min(b + 7, 250)));
    expect(t.thresholds()[0]).toBeCloseTo(994.005, 9);
  });

  it("equals a full sort for every unit, ignores non-grid positions and does not depend on batching", () => {
    const rng = new SeededRng(11);
    const [examples, positions, units] = [37, 1 + 9, 5];
    const grid = { rows: 3, cols: 3, firstPatch: 1 };
    const values = Float32Array.from({ length: examples * positions * units }, (_, i) =>
      i % (positions * units) < units ? 1e6 : Math.round((rng.next() - 0.5) * 200) / 10,
    );
    for (const q of [0.005, 0.1, 0.5]) {
      const whole = new DissectionThresholds({ units, positions, grid, totalExamples: examples, quantile: q });
      whole.add(values);
      const split = new DissectionThresholds({ units, positions, grid, totalExamples: examples + 3, quantile: q });
      for (let e = 0; e < examples; e += 4)
        split.add(values.subarray(e * positions * units, Math.min(e + 4, examples) * positions * units));
      for (let u = 0; u < units; u++) {
        const all: number[] = [];
        for (let e = 0; e < examples; e++)
          for (let t = 1; t < positions; t++) all.push(values[(e * positions + t) * units + u]);
        all.sort((a, b) => a - b);
        const expected = quantileFromTop(all, all.length, q);
        expect(whole.thresholds()[u]).toBe(expected);
        expect(split.thresholds()[u]).toBe(expected);
      }
    }
  });

  it("resumes from a JSON snapshot with the same result as an uninterrupted pass", () => {
    const rng = new SeededRng(12);
    const grid = { rows: 2, cols: 2, firstPatch: 0 };
    const values = Float64Array.from({ length: 40 * 4 * 3 }, () => rng.next());
    const whole = new DissectionThresholds({ units: 3, positions: 4, grid, totalExamples: 40, quantile: 0.05 });
    whole.add(values);
    const first = new DissectionThresholds({ units: 3, positions: 4, grid, totalExamples: 40, quantile: 0.05 });
    first.add(values.subarray(0, 20 * 12));
    const resumed = DissectionThresholds.restore(JSON.parse(JSON.stringify(first.snapshot())));
    resumed.add(values.subarray(20 * 12));
    expect(Array.from(resumed.thresholds())).toEqual(Array.from(whole.thresholds()));
    expect(() => DissectionThresholds.restore({ ...first.snapshot(), sizes: [1] })).toThrow(/BAD_SNAPSHOT/);
  });

  it("refuses more examples than declared, a bad quantile and an empty pass", () => {
    const opts = { units: 1, positions: 4, grid: { rows: 2, cols: 2, firstPatch: 0 }, totalExamples: 1 };
    const t = new DissectionThresholds(opts);
    expect(() => t.thresholds()).toThrow(/BAD_INPUT/);
    expect(() => t.add(new Float32Array(8))).toThrow(/totalExamples/);
    expect(() => t.add(new Float32Array(5))).toThrow(/SHAPE_MISMATCH/);
    expect(() => new DissectionThresholds({ ...opts, quantile: 1 })).toThrow(/BAD_OPTION/);
    expect(() => new DissectionThresholds({ ...opts, grid: { rows: 3, cols: 2, firstPatch: 0 } })).toThrow(
      /SHAPE_MISMATCH/,
    );
  });
});

describe("Network Dissection IoU", () => {
  // Two examples, a CLS token (value 100, must be ignored) and a 2×2 grid, two units, 4×4 masks.
  //   unit 0: ex0 grid (0, 0, 0, 4), ex1 grid (1, 0, 0, 0); unit 1: ex0 grid (4, 4, 0, 0), ex1 all 0.
  const values = Float64Array.from([
    100,
    100,
    0,
    4,
    0,
    4,
    0,
    0,
    4,
    0, // example 0: positions 0..4 × units 0, 1
    100,
    100,
    1,
    0,
    0,
    0,
    0,
    0,
    0,
    0, // example 1
  ]);
  const grid = { rows: 2, cols: 2, firstPatch: 1 };
  const concepts = ["corner", "top", "never"];
  const masks: ExampleConceptMask[][] = [
    [
      {
        concept: "corner",
        mask: mask4([
          [2, 2],
          [2, 3],
          [3, 2],
          [3, 3],
        ]),
      },
      {
        concept: "top",
        mask: mask4([
          [0, 0],
          [0, 1],
          [0, 2],
          [0, 3],
        ]),
      },
    ],
    [
      {
        concept: "corner",
        mask: mask4([
          [0, 0],
          [0, 1],
          [1, 0],
          [1, 1],
        ]),
      },
    ],
  ];
  const input = { values, positions: 5, units: 2, grid, masks, concepts, maskRows: 4, maskCols: 4 };

  it("matches the hand computation with q = 0.25", () => {
    // Thresholds over the 8 grid values (numpy linear, h = 7·0.75 = 5.25):
    //   unit 0: sorted (0,0,0,0,0,0,1,4) → 0 + 0.25·(1 − 0) = 0.25; unit 1: (0,0,0,0,0,0,4,4) → 0 + 0.25·4 = 1.
    // Unit 0, ex0: 4·r_y·r_x with r = (0, ¼, ¾, 1) > 0.25 → 8 pixels (rows 1–3 × cols 1–3 minus (1,1) = 0.25);
    //   ex1: (1 − r_y)(1 − r_x) > 0.25 → the top-left quadrant (1, ¾, ¾, 0.5625), 4 pixels. |M| = 12.
    //   corner: ∩ = 4 (ex0) + 4 (ex1) = 8, |L| = 8 → IoU = 8 / (12 + 8 − 8) = 2/3; top: ∩ 0 → 0; never: 0.
    // Unit 1, ex0: rows 4·(1 − r_y) = (4, 3, 1, 0) > 1 → rows 0–1, 8 pixels; ex1 nothing. |M| = 8.
    //   top: ∩ = 4, |L| = 4 → 4 / (8 + 4 − 4) = 1/2; corner: ∩ = 0 → 0.
    const [u0, u1] = networkDissection(input, { quantile: 0.25 });
    expect(u0.threshold).toBeCloseTo(0.25, 12);
    expect(u1.threshold).toBeCloseTo(1, 12);
    expect(u0.best).toEqual({ concept: "corner", iou: 2 / 3, intersection: 8, union: 12 });
    expect(u0.concepts.map((c) => [c.concept, c.iou, c.union])).toEqual([
      ["corner", 2 / 3, 12],
      ["top", 0, 16],
      ["never", 0, 12],
    ]);
    expect(u0.activeFraction).toBeCloseTo(12 / 32, 12);
    expect(u1.best).toEqual({ concept: "top", iou: 0.5, intersection: 4, union: 8 });
    expect(u1.concepts.map((c) => c.concept)).toEqual(["top", "corner", "never"]);
    expect(networkDissection(input, { quantile: 0.25, count: 1 })[1].concepts).toHaveLength(1);
  });

  it("accumulates the same counts whether fed in one batch or example by example", () => {
    const opts = { units: 2, positions: 5, grid, concepts, thresholds: [0.25, 1], maskRows: 4, maskCols: 4 };
    const whole = new DissectionIouAccumulator(opts);
    whole.add(values, masks);
    const split = new DissectionIouAccumulator(opts);
    split.add(values.subarray(0, 10), masks.slice(0, 1));
    split.add(values.subarray(10), masks.slice(1));
    expect(split.examples).toBe(2);
    expect(Array.from(split.iou())).toEqual(Array.from(whole.iou()));
    expectClose(whole.iou(), [2 / 3, 0, 0, 0, 0.5, 0]);
  });

  it("resumes the IoU counts from a JSON snapshot", () => {
    const opts = { units: 2, positions: 5, grid, concepts, thresholds: [0.25, 1], maskRows: 4, maskCols: 4 };
    const first = new DissectionIouAccumulator(opts);
    first.add(values.subarray(0, 10), masks.slice(0, 1));
    const resumed = DissectionIouAccumulator.restore(JSON.parse(JSON.stringify(first.snapshot())));
    resumed.add(values.subarray(10), masks.slice(1));
    expect(resumed.result()).toEqual(networkDissection(input, { quantile: 0.25 }));
    expect(() => DissectionIouAccumulator.restore({ ...first.snapshot(), unitArea: [1, 2, 3] })).toThrow(
      /BAD_SNAPSHOT/,
    );
  });

  it("reports no best concept for a unit that never exceeds its threshold", () => {
    const acc = new DissectionIouAccumulator({
      units: 2,
      positions: 5,
      grid,
      concepts,
      thresholds: [50, 1],
      maskRows: 4,
      maskCols: 4,
    });
    acc.add(values, masks);
    const [u0] = acc.result();
    expect(u0.best).toBeNull();
    expect(u0.activeFraction).toBe(0);
    expect(u0.concepts.every((c) => c.iou === 0)).toBe(true);
  });

  it("agrees with a brute-force upsample-threshold-count reference on random data", () => {
    const rng = new SeededRng(5);
    const [examples, units, rows, cols, mr, mc] = [23, 4, 3, 4, 9, 10];
    const positions = 1 + rows * cols;
    const cs = ["a", "b", "c", "d"];
    const vals = Float32Array.from({ length: examples * positions * units }, () => rng.next() * 2 - 1);
    const exMasks = Array.from({ length: examples }, () =>
      cs
        .filter(() => rng.next() < 0.6)
        .map((concept) => ({ concept, mask: Uint8Array.from({ length: mr * mc }, () => (rng.next() < 0.3 ? 1 : 0)) })),
    );
    const thresholds = [0.3, 0.6, 0.9, -0.2];
    const acc = new DissectionIouAccumulator({
      units,
      positions,
      grid: { rows, cols, firstPatch: 1 },
      concepts: cs,
      thresholds,
      maskRows: mr,
      maskCols: mc,
    });
    for (let e = 0; e < examples; e += 5)
      acc.add(
        vals.subarray(e * positions * units, Math.min(e + 5, examples) * positions * units),
        exMasks.slice(e, e + 5),
      );
    const iou = acc.iou();
    for (let u = 0; u < units; u++)
      cs.forEach((concept, c) => {
        let inter = 0,
          union = 0;
        for (let e = 0; e < examples; e++) {
          const map = Array.from({ length: rows * cols }, (_, t) => vals[(e * positions + 1 + t) * units + u]);
          const up = upsampleBilinear(map, rows, cols, mr, mc);
          const label = exMasks[e].find((m) => m.concept === concept)?.mask;
          for (let i = 0; i < mr * mc; i++) {
            const m = up[i] > thresholds[u],
              l = label ? label[i] === 1 : false;
            if (m && l) inter++;
            if (m || l) union++;
          }
        }
        expect(iou[u * cs.length + c]).toBeCloseTo(union > 0 ? inter / union : 0, 12);
      });
    expect(Array.from(iou).some((v) => v > 0)).toBe(true);
  });

  it("refuses unknown or repeated concepts, wrong mask sizes and a mask list of the wrong length", () => {
    const acc = new DissectionIouAccumulator({
      units: 2,
      positions: 5,
      grid,
      concepts,
      thresholds: [0, 0],
      maskRows: 4,
      maskCols: 4,
    });
    const m = mask4([]);
    expect(() => acc.add(values, [[{ concept: "blue", mask: m }], []])).toThrow(/unknown concept "blue"/);
    expect(() =>
      acc.add(values, [
        [
          { concept: "top", mask: m },
          { concept: "top", mask: m },
        ],
        [],
      ]),
    ).toThrow(/twice/);
    expect(() => acc.add(values, [[{ concept: "top", mask: new Uint8Array(15) }], []])).toThrow(/SHAPE_MISMATCH/);
    expect(() => acc.add(values, [[]])).toThrow(/SHAPE_MISMATCH/);
    expect(
      () =>
        new DissectionIouAccumulator({
          units: 2,
          positions: 5,
          grid,
          concepts,
          thresholds: [0],
          maskRows: 4,
          maskCols: 4,
        }),
    ).toThrow(/SHAPE_MISMATCH/);
  });
});
