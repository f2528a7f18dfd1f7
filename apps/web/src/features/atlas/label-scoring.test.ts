import { scoringProgressText, scoringSummaryOf } from "./label-scoring";

test("a running scoring job reads as percent and units scored", () => {
  expect(scoringProgressText({ status: "RUNNING", progress: 0.404, examplesDone: 1234, examplesTotal: 3055 })).toBe(
    "Scoring labels… 40% · 1,234 / 3,055 units",
  );
  expect(scoringProgressText({ status: "RUNNING", progress: 1.7, examplesDone: null, examplesTotal: null })).toBe(
    "Scoring labels… 100%",
  );
});

test("queued and ended jobs", () => {
  const base = { progress: 0, examplesDone: 0, examplesTotal: 0 };
  expect(scoringProgressText({ ...base, status: "QUEUED" })).toMatch(/^Label scoring queued/);
  expect(scoringProgressText({ ...base, status: "SUCCEEDED", message: "40 label scores for 12 units" })).toBe(
    "Labels scored: 40 label scores for 12 units",
  );
  expect(scoringProgressText({ ...base, status: "FAILED", error: "NOT_FOUND: model m not found" })).toBe(
    "Label scoring failed: model m not found (NOT_FOUND)",
  );
  expect(scoringProgressText({ ...base, status: "CANCELLED" })).toBe("Label scoring cancelled");
});

test("the summary of a finished job comes from its metrics", () => {
  expect(scoringSummaryOf({ message: "40 label scores for 12 units", units: 12 })).toBe("40 label scores for 12 units");
  expect(scoringSummaryOf({ units: 12 })).toBeNull();
  expect(scoringSummaryOf(null)).toBeNull();
});
