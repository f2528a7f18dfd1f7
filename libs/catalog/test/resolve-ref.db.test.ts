// Model and dataset references by name or id: both resolve to the id, an id wins over another row's equal name,
// unknown references are NOT_FOUND (and not remembered: a model registered a moment later is found), blank ones
// BAD_USER_INPUT; withModelId leaves a filter without a model untouched.
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { isAppError } from "@mmatlas/errors";
import { resolveDatasetId, resolveModelId, withModelId } from "../src";

jest.setTimeout(120_000);

let db: TestDatabase;
const model = (name: string) =>
  db.prisma.model.create({
    data: {
      name,
      displayName: name,
      modality: "IMAGE",
      architecture: "vit",
      onnxFiles: {},
      config: {},
      directory: name,
    },
  });
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "resolved",
    (e: unknown) => (isAppError(e) ? e.code : String(e)),
  );

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

test("a model by name or id; an id wins over a name", async () => {
  const a = await model("alpha");
  expect(await resolveModelId(db.prisma, "alpha")).toBe(a.id);
  expect(await resolveModelId(db.prisma, a.id)).toBe(a.id);
  const impostor = await model(a.id); // a model whose name is another model's id
  expect(await resolveModelId(db.prisma, a.id)).toBe(a.id);
  expect(await resolveModelId(db.prisma, impostor.id)).toBe(impostor.id);
});

test("unknown is NOT_FOUND and not remembered; blank is BAD_USER_INPUT", async () => {
  expect(await codeOf(resolveModelId(db.prisma, "late"))).toBe("NOT_FOUND");
  const late = await model("late");
  expect(await resolveModelId(db.prisma, "late")).toBe(late.id);
  expect(await codeOf(resolveModelId(db.prisma, " "))).toBe("BAD_USER_INPUT");
  expect(await codeOf(resolveDatasetId(db.prisma, "no-such-dataset"))).toBe("NOT_FOUND");
});

test("a dataset by name or id", async () => {
  const ds = await db.prisma.dataset.create({ data: { name: "captions", modality: "TEXT" } });
  expect(await resolveDatasetId(db.prisma, "captions")).toBe(ds.id);
  expect(await resolveDatasetId(db.prisma, ds.id)).toBe(ds.id);
});

test("withModelId resolves a filter's model and leaves other filters as they are", async () => {
  const b = await model("beta");
  expect(await withModelId(db.prisma, { modelId: "beta", kind: "NEURON" })).toEqual({ modelId: b.id, kind: "NEURON" });
  const none = { hookName: "h", modelId: null };
  expect(await withModelId(db.prisma, none)).toBe(none);
  expect(await codeOf(withModelId(db.prisma, { modelId: "gamma" }))).toBe("NOT_FOUND");
});
