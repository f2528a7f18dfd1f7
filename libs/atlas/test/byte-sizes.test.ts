// bytesFor of the streaming accumulators: the bytes a state with these options allocates, known before it is
// allocated (a build's memory plan), equal to byteSize() of the allocated state, and hand-computed once.
import { QuantileSampler, TopKTracker, UnitStatsAccumulator } from "../src";

const SHAPES = [
  { units: 1, k: 1, positions: 0, bins: 1, perBin: 1 },
  { units: 10, k: 2, positions: 5, bins: 25, perBin: 2 },
  { units: 37, k: 20, positions: 50, bins: 40, perBin: 3 },
];

test("hand-computed: 10 units, k 2, 5 positions, 25 quantile bins of 2, 40 histogram bins", () => {
  // top-k: sizes 10 × 4 + (values 8 + ids 8 + slots 4) × 10 × 2 + per-position 10 × 2 × 5 × 4
  expect(TopKTracker.bytesFor({ units: 10, k: 2, positions: 5 })).toBe(40 + 400 + 400);
  // quantiles: 250 cells: seen 250 × 8 + (values 8 + ids 8 + 5 positions × 4) × 250 × 2 + max 10 × 8
  expect(QuantileSampler.bytesFor({ units: 10, positions: 5, bins: 25, perBin: 2 })).toBe(2000 + 18000 + 80);
  // histograms: (40 bins + zero, negative, underflow, overflow, sum, max, min) × 10 units × 8
  expect(UnitStatsAccumulator.bytesFor({ units: 10, bins: 40 })).toBe(3760);
});

test.each(SHAPES)("bytesFor equals byteSize() of the allocated state: %o", ({ units, k, positions, bins, perBin }) => {
  expect(TopKTracker.bytesFor({ units, k, positions })).toBe(new TopKTracker({ units, k, positions }).byteSize());
  expect(QuantileSampler.bytesFor({ units, positions, bins, perBin })).toBe(
    new QuantileSampler({ units, positions, bins, perBin }).byteSize(),
  );
  expect(UnitStatsAccumulator.bytesFor({ units, bins })).toBe(new UnitStatsAccumulator({ units, bins }).byteSize());
});

test("defaults: bytesFor without options reads the same defaults as the constructors", () => {
  expect(TopKTracker.bytesFor({ units: 3 })).toBe(new TopKTracker({ units: 3 }).byteSize());
  expect(QuantileSampler.bytesFor({ units: 3 })).toBe(new QuantileSampler({ units: 3 }).byteSize());
  expect(UnitStatsAccumulator.bytesFor({ units: 3 })).toBe(new UnitStatsAccumulator({ units: 3 }).byteSize());
});
