import { QuantileSampler } from "../src";

const feed = (q: QuantileSampler, values: number[], firstId = 0) =>
  q.add({ exampleIds: values.map((_, i) => firstId + i), activations: new Float32Array(values) });

describe("QuantileSampler", () => {
  it("assigns examples to equal-width bands of the final max (hand case, nothing evicted)", () => {
    // fine edges 1,2,4,8,16; max = 8, 4 bands of width 2: (0,2] {1,1.5}, (2,4] {3}, (4,6] {5,6}, (6,8] {7.5,8}
    const q = new QuantileSampler({ units: 1, min: 1, max: 16, bins: 4, perBin: 10 });
    feed(q, [0, 1, 1.5, 3, 5, 6, 7.5, 8]);
    const bands = q.result(0, { bands: 4, perBand: 5 });
    expect(bands.map((b) => [b.lower, b.upper])).toEqual([
      [0, 2],
      [2, 4],
      [4, 6],
      [6, 8],
    ]);
    expect(bands.map((b) => b.estimatedCount)).toEqual([2, 1, 2, 2]);
    expect(bands.map((b) => b.samples.map((s) => [s.exampleId, s.value]))).toEqual([
      [
        [2, 1.5],
        [1, 1],
      ],
      [[3, 3]],
      [
        [5, 6],
        [4, 5],
      ],
      [
        [7, 8],
        [6, 7.5],
      ],
    ]);
  });

  it("keeps per-position values given at fewer positions (positionStride) with zeros after them", () => {
    const q = new QuantileSampler({ units: 2, positions: 3, min: 1, max: 16, bins: 4, perBin: 10 });
    // [2 examples × 2 positions × 2 units]: unit 1 of example 1 has (3, 6)
    q.add({
      exampleIds: [0, 1],
      activations: new Float32Array([2, 0, 1, 6]),
      positionValues: new Float32Array([2, 0, 1, 0, /* ex 1 */ 1, 3, 0, 6]),
      positionStride: 2,
    });
    const [band] = q.result(1, { bands: 1, perBand: 5 });
    expect(band.samples.map((s) => [s.exampleId, Array.from(s.positionValues!)])).toEqual([[1, [3, 6, 0]]]);
  });

  it("excludes given example ids (e.g. the top-k) without changing the counts", () => {
    const q = new QuantileSampler({ units: 1, min: 1, max: 16, bins: 4, perBin: 10 });
    feed(q, [0, 1, 1.5, 3, 5, 6, 7.5, 8]);
    const top = q.result(0, { bands: 4, perBand: 5, exclude: new Set([7]) })[3];
    expect(top.samples.map((s) => s.exampleId)).toEqual([6]);
    expect(top.estimatedCount).toBe(2);
  });

  it("weights each kept example by seen/kept of its bin so band counts stay exact", () => {
    // 10 values in the single fine bin [2,4), reservoir of 2: each kept example stands for 5
    const q = new QuantileSampler({ units: 1, min: 1, max: 16, bins: 4, perBin: 2, seed: 7 });
    const values = [2.5, 2.6, 2.7, 2.8, 2.9, 3.0, 3.1, 3.2, 3.3, 3.4];
    feed(q, values.slice(0, 4));
    feed(q, values.slice(4), 4);
    expect(q.storedEntries()).toBe(2);
    expect(q.maxOf(0)).toBeCloseTo(3.4, 6);
    const [band] = q.result(0, { bands: 1, perBand: 3 });
    expect(band.estimatedCount).toBe(10);
    expect(band.samples).toHaveLength(2);
    for (const s of band.samples) expect(s.value).toBeCloseTo(values[s.exampleId], 6);
  });

  it("reservoir keeps each example with equal probability (Algorithm R)", () => {
    // perBin = 1, 4 examples in one bin: each should survive in ~1/4 of 2000 seeds (sd ≈ 19)
    const kept = [0, 0, 0, 0];
    for (let seed = 0; seed < 2000; seed++) {
      const q = new QuantileSampler({ units: 1, min: 1, max: 16, bins: 1, perBin: 1, seed });
      feed(q, [2, 3, 4, 5]);
      kept[q.result(0, { bands: 1, perBand: 1 })[0].samples[0].exampleId]++;
    }
    for (const n of kept) expect(Math.abs(n - 500)).toBeLessThan(100);
  });

  it("keeps per-position values with samples", () => {
    const q = new QuantileSampler({ units: 2, min: 1, max: 16, bins: 4, positions: 2 });
    // example 0: unit 0 positions (1, 3), unit 1 positions (0, 0)
    q.add({ exampleIds: [0], activations: new Float32Array([3, 0]), positionValues: new Float32Array([1, 0, 3, 0]) });
    const [band] = q.result(0, { bands: 1 });
    expect(Array.from(band.samples[0].positionValues!)).toEqual([1, 3]);
    expect(q.result(1, { bands: 2 }).every((b) => b.samples.length === 0 && b.estimatedCount === 0)).toBe(true);
  });

  it("stays bounded over many batches and resumes from a snapshot identically", () => {
    const opts = { units: 3, perBin: 2, seed: 3 };
    const whole = new QuantileSampler(opts);
    const first = new QuantileSampler(opts);
    const bytes = whole.byteSize();
    let s = 99;
    const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
    const batches = Array.from({ length: 200 }, () =>
      new Float32Array(32 * 3).map(() => Math.exp(rand() * 8 - 4) - 0.05),
    );
    let restored: QuantileSampler | undefined;
    batches.forEach((acts, b) => {
      const batch = { exampleIds: Array.from({ length: 32 }, (_, i) => b * 32 + i), activations: acts };
      whole.add(batch);
      if (b < 100) first.add(batch);
      else {
        restored ??= QuantileSampler.restore(JSON.parse(JSON.stringify(first.snapshot())));
        restored.add(batch);
      }
    });
    expect(whole.byteSize()).toBe(bytes);
    expect(whole.storedEntries()).toBeLessThanOrEqual(3 * whole.bins.bins * 2);
    for (let u = 0; u < 3; u++) expect(restored!.result(u)).toEqual(whole.result(u));
  });
});
