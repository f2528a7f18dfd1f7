// Progress figures: the pass is 85 % of a build, finalize the rest; ETA from the pass throughput.
import { etaSeconds, finalizeProgress, passProgress } from "../src/run/progress";

test("progress fractions", () => {
  expect(passProgress(0, 100)).toBe(0);
  expect(passProgress(50, 100)).toBeCloseTo(0.425);
  expect(passProgress(100, 100)).toBeCloseTo(0.85);
  expect(finalizeProgress(1, 4)).toBeCloseTo(0.85 + 0.15 / 4);
  expect(finalizeProgress(4, 4)).toBe(1);
});

test("ETA: examples left at the measured rate plus the finalize share", () => {
  // 1000 examples at 100/s: 5 s left of the pass + (10 s × 0.15 / 0.85) ≈ 1.76 s of finalize → 7 s
  expect(etaSeconds(500, 1000, 100)).toBe(7);
  expect(etaSeconds(500, 1000, null)).toBeNull();
});
