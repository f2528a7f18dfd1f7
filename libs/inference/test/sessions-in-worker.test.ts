// sessionsInWorker: onnxruntime sessions in a worker thread give bit-identical outputs to in-thread sessions on
// the built-in model (hooks + SAEs, dense and sparse), map onnxruntime failures to the same typed InferenceErrors,
// and closing the runner terminates the worker (so it never keeps the process alive).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createRunner, decodeModel, encodeModel, InferenceError, type RunResult, type Runner } from "../src";
import { sessionOptions } from "../src/onnx/execution-provider";
import { liveOrtWorkers, OrtWorker } from "../src/runner/worker-session";
import { prng, writeFixtureModel } from "./fixtures/tiny-clip";

const DIR = resolve(__dirname, "../../model-zoo/assets/clip-shapes");
const present = ["model.json", "image.onnx", "text.onnx"].every((f) => existsSync(join(DIR, f)));
if (!present) console.warn(`[sessions-in-worker.test] SKIPPED built-in model checks: assets not found in ${DIR}`);
const maybe = present ? describe : describe.skip;
const quiet = () => undefined;
const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => "none",
    (e) => (e instanceof InferenceError ? e.code : `other: ${e}`),
  );

/** Every array of a run result as bytes, keyed by where it came from. */
function bytesOf(r: RunResult): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const add = (key: string, a: Float32Array | Int32Array | undefined) => {
    if (a) out[key] = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  };
  add("embeds", r.embeds.data);
  for (const [k, v] of Object.entries(r.hooks)) add(`hook ${k}`, v.data);
  for (const [k, v] of Object.entries(r.saes)) {
    add(`sae ${k}`, v.data);
    add(`sae ${k} values`, v.sparse?.values);
    add(`sae ${k} indices`, v.sparse?.indices);
  }
  return out;
}

function expectIdentical(a: RunResult, b: RunResult): void {
  expect(b.embeds.dims).toEqual(a.embeds.dims);
  const ba = bytesOf(a),
    bb = bytesOf(b);
  expect(Object.keys(bb).sort()).toEqual(Object.keys(ba).sort());
  expect(Object.keys(ba).length).toBeGreaterThan(3);
  for (const key of Object.keys(ba)) expect({ key, equal: ba[key].equals(bb[key]) }).toEqual({ key, equal: true });
}

maybe("sessions in a worker thread on the built-in model", () => {
  let inThread: Runner;
  let inWorker: Runner;
  beforeAll(async () => {
    inThread = await createRunner(DIR, { logger: quiet });
    inWorker = await createRunner(DIR, { logger: quiet, sessionsInWorker: true });
  });
  afterAll(async () => {
    await inThread?.close();
    await inWorker?.close();
  });

  it("runPixels with several hooks and SAEs (dense and sparse) is bit-identical", async () => {
    const size = inThread.manifest.image!.preprocess.size;
    const r = prng(11);
    const pixels = Float32Array.from({ length: 5 * 3 * size * size }, () => r() * 2);
    const copy = pixels.slice();
    const hooks = inThread.hookPoints("VISION").map((h) => h.name);
    const saes = inThread.manifest.saes.filter((s) => inThread.saeHook(s.name).tower === "VISION").map((s) => s.name);
    expect(saes.length).toBeGreaterThan(0);
    for (const opts of [
      { batchSize: 2, saes },
      { batchSize: 3, saes, saeOutput: "sparse" as const, saeTopK: 4 },
    ]) {
      const a = await inThread.runPixels(pixels, hooks, opts);
      const b = await inWorker.runPixels(pixels, hooks, opts);
      expectIdentical(a, b);
    }
    expect(pixels).toEqual(copy); // the caller's input was copied to the worker, not taken
    expect(liveOrtWorkers()).toBeGreaterThan(0);
  });

  it("runTokens with several hooks and SAEs is bit-identical", async () => {
    const texts = ["a red circle", "a blue square on the left", "a small green triangle"];
    const tokens = texts.map((t) => inThread.tokenizer!.encode(t));
    const hooks = inThread.hookPoints("TEXT").map((h) => h.name);
    const saes = inThread.manifest.saes.filter((s) => inThread.saeHook(s.name).tower === "TEXT").map((s) => s.name);
    expect(saes.length).toBeGreaterThan(0);
    const a = await inThread.runTokens(tokens, hooks, { batchSize: 2, saes });
    const b = await inWorker.runTokens(tokens, hooks, { batchSize: 2, saes });
    expectIdentical(a, b);
  });

  it("sessions whose intra-op threads do not spin (allowSpinning false) give the same bytes, in a worker too", async () => {
    const size = inThread.manifest.image!.preprocess.size;
    const r = prng(5);
    const pixels = Float32Array.from({ length: 4 * 3 * size * size }, () => r() * 2);
    const hooks = inThread.hookPoints("VISION").map((h) => h.name);
    const a = await inThread.runPixels(pixels, hooks, { batchSize: 4 });
    for (const sessionsInWorker of [false, true]) {
      const calm = await createRunner(DIR, { logger: quiet, allowSpinning: false, sessionsInWorker });
      try {
        expectIdentical(a, await calm.runPixels(pixels, hooks, { batchSize: 4 }));
      } finally {
        await calm.close();
      }
    }
    expect(sessionOptions("cpu", { allowSpinning: false }).extra).toEqual({
      session: { intra_op: { allow_spinning: "0" } },
    });
    expect(sessionOptions("cpu", {}).extra).toBeUndefined();
  });

  it("an onnxruntime run failure is BAD_INPUT in both, with the same message", async () => {
    const T = inThread.manifest.text!.seqLen;
    const bad = [{ ids: Array.from({ length: T }, () => 1e6), tokens: [], eosPosition: 0 }];
    const a = await inThread.runTokens(bad).catch((e: unknown) => e);
    const b = await inWorker.runTokens(bad).catch((e: unknown) => e);
    expect(a).toBeInstanceOf(InferenceError);
    expect(b).toBeInstanceOf(InferenceError);
    expect((b as InferenceError).code).toBe("BAD_INPUT");
    expect((b as InferenceError).message).toBe((a as InferenceError).message);
  });
});

describe("sessions in a worker thread: errors and lifetime", () => {
  it("a model onnxruntime refuses is BAD_MODEL in the worker as in-thread", async () => {
    const dir = writeFixtureModel();
    const model = decodeModel(readFileSync(join(dir, "image.onnx")));
    model.graph!.node![0].opType = "NotAnOnnxOperator";
    writeFileSync(join(dir, "image.onnx"), encodeModel(model));
    const messages: string[] = [];
    for (const sessionsInWorker of [false, true]) {
      const runner = await createRunner(dir, { logger: quiet, sessionsInWorker });
      const size = runner.manifest.image!.preprocess.size;
      const err = await runner.runPixels(new Float32Array(3 * size * size)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InferenceError);
      expect((err as InferenceError).code).toBe("BAD_MODEL");
      messages.push((err as InferenceError).message);
      await runner.close();
    }
    expect(messages[1]).toBe(messages[0]);
  });

  it("closing the runner terminates its worker; a closed worker rejects calls instead of hanging", async () => {
    const dir = writeFixtureModel();
    const before = liveOrtWorkers();
    const runner = await createRunner(dir, { logger: quiet, sessionsInWorker: true });
    const size = runner.manifest.image!.preprocess.size;
    await runner.runPixels(new Float32Array(3 * size * size));
    expect(liveOrtWorkers()).toBe(before + 1);
    await runner.close();
    expect(liveOrtWorkers()).toBe(before);

    const worker = new OrtWorker();
    const session = await worker.createSession(readFileSync(join(dir, "image.onnx")), {});
    await worker.close();
    expect(worker.closed).toBe(true);
    expect(await codeOf(session.run({}, []))).toBe("BAD_MODEL");
    expect(liveOrtWorkers()).toBe(before);
  });

  it("a worker that dies mid-call rejects the pending call with an InferenceError", async () => {
    const worker = new OrtWorker();
    const pending = worker.call({ op: "create", sessionId: 1, model: new Uint8Array(0), options: {} });
    const ended = worker.close();
    const err = await pending.catch((e: unknown) => e);
    await ended;
    expect(err).toBeInstanceOf(InferenceError);
    expect((err as InferenceError).message).toMatch(/onnxruntime worker/);
  });
});
