// The CLI progress line: bar width follows the fraction; throughput, ETA and phase are shown.
import type { JobProgress } from "@mmatlas/builder";
import { formatSeconds, renderProgress } from "../src/lib/progress-bar";

const p = (over: Partial<JobProgress>): JobProgress => ({
  jobId: "j",
  status: "RUNNING",
  phase: "pass",
  progress: 0.5,
  examplesDone: 1536,
  examplesTotal: 3072,
  examplesPerSecond: 350.4,
  etaSeconds: 75,
  message: null,
  ...over,
});

test("formats seconds", () => {
  expect(formatSeconds(75)).toBe("1m15s");
  expect(formatSeconds(9)).toBe("9s");
  expect(formatSeconds(null)).toBe("--");
});

test("renders bar, percent, examples/s and ETA", () => {
  const line = renderProgress(p({}));
  expect(line).toContain("█".repeat(14) + "░".repeat(14));
  expect(line).toContain(" 50.0%");
  expect(line).toContain("1536/3072 examples");
  expect(line).toContain("350 ex/s");
  expect(line).toContain("ETA 1m15s");
  expect(
    renderProgress(p({ progress: 1, phase: "done", examplesPerSecond: null, etaSeconds: null, message: "1808 units" })),
  ).toMatch(/█{28} 100\.0%\s+done .*-- ex\/s\s+ETA --\s+1808 units$/);
});
