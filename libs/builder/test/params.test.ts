// Build parameters: defaults and typed errors for bad input.
import { isAppError } from "@mmatlas/errors";
import { parseBuildParams } from "../src/params";

const base = { modelId: "m", datasetId: "d", hooks: ["vision.blocks.0.mlp.hook_post"] };

test("fills defaults", () => {
  expect(parseBuildParams(base)).toMatchObject({
    k: 20,
    dictionaries: [],
    batchSize: 128,
    checkpointEvery: 1,
    checkpointAfterSeconds: 20,
    scoreLabels: true,
  });
  expect(parseBuildParams({ ...base, scoreLabels: false }).scoreLabels).toBe(false);
});

test.each([
  [{ ...base, k: 0 }, "k"],
  [{ ...base, k: 2.5 }, "k"],
  [{ ...base, hooks: [], dictionaries: [] }, "hooks"],
  [{ ...base, hooks: [""] }, "hooks"],
  [{ ...base, modelId: undefined }, "modelId"],
  [{ ...base, scoreLabels: "no" }, "scoreLabels"],
  [{ ...base, checkpointAfterSeconds: -1 }, "checkpointAfterSeconds"],
  [null, "params"],
])("rejects %j (field %s)", (input, field) => {
  try {
    parseBuildParams(input);
    throw new Error("accepted");
  } catch (e) {
    expect(isAppError(e) && e.code).toBe("BAD_USER_INPUT");
    expect((e as { details?: { field?: string } }).details?.field).toBe(field);
  }
});
