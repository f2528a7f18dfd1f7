// The build state of a dictionary from its unit count and build jobs: which jobs count (same model, names the
// dictionary, created since the dictionary's weights were set), BUILDING while one is queued or running, builtAt from the
// latest success, and the job a page should follow.
import { dictionaryBuildOf, type BuildJobRow } from "../src/dictionary-builds";

const dict = { id: "d1", modelId: "m1", name: "sae-a", createdAt: new Date("2026-01-01T00:00:00Z") };
let n = 0;
function job(
  status: BuildJobRow["status"],
  createdAt: string,
  params: Record<string, unknown> = {},
  finishedAt: string | null = null,
): BuildJobRow {
  n += 1;
  return {
    id: `j${n}`,
    kind: "ATLAS_BUILD",
    status,
    progress: 0,
    params: { modelId: "m1", hooks: [], dictionaries: ["sae-a"], ...params },
    metrics: null,
    error: status === "FAILED" ? "BAD_USER_INPUT: broken" : null,
    createdById: null,
    createdAt: new Date(createdAt),
    startedAt: null,
    finishedAt: finishedAt ? new Date(finishedAt) : null,
    updatedAt: new Date(createdAt),
  };
}

test("no units and no job: NOT_BUILT, nothing to follow", () => {
  expect(dictionaryBuildOf(dict, 0, [])).toEqual({
    dictionaryId: "d1",
    unitCount: 0,
    status: "NOT_BUILT",
    builtAt: null,
    latestJob: null,
  });
});

test("units without a recorded job: BUILT", () => {
  expect(dictionaryBuildOf(dict, 12, [])).toMatchObject({ unitCount: 12, status: "BUILT", builtAt: null });
});

test("jobs of another model, of other dictionaries, or from before the dictionary row do not count", () => {
  const jobs = [
    job("RUNNING", "2026-02-01T00:00:00Z", { modelId: "m2" }),
    job("RUNNING", "2026-02-01T00:00:00Z", { dictionaries: ["sae-b"] }),
    job("QUEUED", "2025-12-31T00:00:00Z"), // built an SAE of the same name that was replaced since
    { ...job("RUNNING", "2026-02-01T00:00:00Z"), kind: "EXPORT" as BuildJobRow["kind"] },
  ];
  expect(dictionaryBuildOf(dict, 0, jobs)).toMatchObject({ status: "NOT_BUILT", latestJob: null });
});

test("a replaced dictionary (newer updatedAt) does not count the builds of the SAE it replaced", () => {
  const old = job("SUCCEEDED", "2026-01-02T00:00:00Z", {}, "2026-01-02T00:05:00Z");
  const replaced = { ...dict, updatedAt: new Date("2026-01-03T00:00:00Z") };
  expect(dictionaryBuildOf(replaced, 0, [old])).toMatchObject({ status: "NOT_BUILT", builtAt: null, latestJob: null });
  expect(dictionaryBuildOf({ ...dict, updatedAt: dict.createdAt }, 5, [old])).toMatchObject({
    status: "BUILT",
    latestJob: { id: old.id },
  });
});

test("a queued or running build makes it BUILDING, and that job is the one to follow", () => {
  const done = job("SUCCEEDED", "2026-01-02T00:00:00Z", {}, "2026-01-02T00:05:00Z");
  const running = job("RUNNING", "2026-01-03T00:00:00Z");
  const newerFailed = job("FAILED", "2026-01-04T00:00:00Z");
  const state = dictionaryBuildOf(dict, 40, [done, newerFailed, running]);
  expect(state.status).toBe("BUILDING");
  expect(state.latestJob?.id).toBe(running.id);
  expect(state.builtAt).toEqual(new Date("2026-01-02T00:05:00Z"));
});

test("after a failed first build: NOT_BUILT with the failed job (its error) to show", () => {
  const failed = job("FAILED", "2026-01-04T00:00:00Z");
  const older = job("CANCELLED", "2026-01-03T00:00:00Z");
  expect(dictionaryBuildOf(dict, 0, [older, failed])).toMatchObject({
    status: "NOT_BUILT",
    builtAt: null,
    latestJob: { id: failed.id, error: "BAD_USER_INPUT: broken" },
  });
});
