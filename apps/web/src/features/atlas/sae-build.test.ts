// The model page's SAE build texts and links: default dataset, progress lines, job and mutation errors.
import { defaultDatasetId, jobErrorText, mutationErrorText, progressText, saeUnitsHref } from "./sae-build";

const ds = (id: string, name: string) => ({ id, name, modality: "IMAGE_TEXT", size: 10 });

test("the default dataset is shapes-world-probe, else the first, else none", () => {
  expect(defaultDatasetId([ds("a", "mine"), ds("b", "shapes-world-probe")])).toBe("b");
  expect(defaultDatasetId([ds("a", "mine"), ds("c", "other")])).toBe("a");
  expect(defaultDatasetId([])).toBeNull();
});

test("progress lines say where the build is and how it ended", () => {
  const base = { phase: null, progress: 0, examplesDone: null, examplesTotal: null, etaSeconds: null };
  expect(progressText({ ...base, status: "QUEUED" })).toMatch(/^Queued/);
  expect(
    progressText({
      ...base,
      status: "RUNNING",
      phase: "pass",
      progress: 0.425,
      examplesDone: 1234,
      examplesTotal: 3072,
      etaSeconds: 11.2,
    }),
  ).toBe("Building… 43% · reading examples · 1,234 / 3,072 examples · about 12 s left");
  expect(progressText({ ...base, status: "RUNNING", phase: "finalize", progress: 0.9 })).toBe(
    "Building… 90% · labelling and writing units",
  );
  expect(progressText({ ...base, status: "SUCCEEDED", progress: 1 })).toBe("Built");
  expect(progressText({ ...base, status: "FAILED", error: 'BAD_USER_INPUT: no SAE "x" in the manifest' })).toBe(
    'Build failed: no SAE "x" in the manifest (BAD_USER_INPUT)',
  );
  expect(progressText({ ...base, status: "FAILED", message: "disk full" })).toBe("Build failed: disk full");
  expect(progressText({ ...base, status: "CANCELLED" })).toBe("Build cancelled");
});

test("job errors without a code stay as they are", () => {
  expect(jobErrorText("cancelled")).toBe("cancelled");
  expect(jobErrorText(null)).toBe("no reason recorded");
});

test("mutation errors read as the API's message, or why the API was not reached", () => {
  expect(
    mutationErrorText({
      graphQLErrors: [{ message: "forbidden: role ANNOTATOR cannot job.manage (needs ADMIN)" }],
      message: "[GraphQL] forbidden…",
    }),
  ).toBe("forbidden: role ANNOTATOR cannot job.manage (needs ADMIN)");
  expect(
    mutationErrorText({
      graphQLErrors: [],
      networkError: new Error("Failed to fetch"),
      message: "[Network] Failed to fetch",
    }),
  ).toBe("Could not reach the API: Failed to fetch");
  expect(mutationErrorText({ message: "[GraphQL] odd" })).toBe("odd");
});

test("the browse link filters the atlas to the SAE's features", () => {
  expect(saeUnitsHref("/models/clip-shapes", { id: "d 1", hookPointId: "h1" })).toBe(
    "/models/clip-shapes?hook=h1&dict=d+1&kind=SAE_FEATURE",
  );
});
