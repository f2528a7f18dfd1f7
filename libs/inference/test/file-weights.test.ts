// Session graphs that reference their file's weights (onnx/file-weights.ts): each referenced initializer points at
// exactly its own bytes of the file, undo puts the raw data back, the small graph written next to the file opens in
// onnxruntime by path with the same outputs as the whole graph, and it is removed; a folder that cannot be written
// falls back to the whole graph, unchanged.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import * as ort from "onnxruntime-node";
import { decodeModel, encodeModel } from "../src/onnx/model";
import {
  MIN_REFERENCED_BYTES,
  referenceFileWeights,
  SESSION_GRAPH_PREFIX,
  sessionGraph,
} from "../src/onnx/file-weights";
import { IMG, prng, writeFixtureModel } from "./fixtures/tiny-clip";

const dir = writeFixtureModel();
const file = path.join(dir, "image.onnx");
const bytes = readFileSync(file);
// the fixture's initializers are 4–512 bytes: reference those of 100 bytes and more
const MIN = 100;

test("referenced initializers point at their own bytes of the file; small ones stay inline; undo restores", () => {
  expect(MIN_REFERENCED_BYTES).toBe(1024);
  const model = decodeModel(bytes, file);
  const before = model.graph!.initializer!.map((t) => Uint8Array.from(t.rawData ?? []));
  const large = before.filter((raw) => raw.length >= MIN).length;
  expect(large).toBeGreaterThan(0);
  expect(large).toBeLessThan(before.length); // the fixture has small initializers too
  const refs = referenceFileWeights(model, bytes, "image.onnx", MIN);
  expect(refs.referenced).toBe(large);
  model.graph!.initializer!.forEach((t, i) => {
    if (before[i].length < MIN) {
      expect(Buffer.from(t.rawData!).equals(Buffer.from(before[i]))).toBe(true);
      return;
    }
    const kv = Object.fromEntries(t.externalData!.map((e) => [e.key, e.value]));
    expect(kv.location).toBe("image.onnx");
    const offset = Number(kv.offset),
      length = Number(kv.length);
    expect(length).toBe(before[i].length);
    expect(Buffer.from(bytes.subarray(offset, offset + length)).equals(Buffer.from(before[i]))).toBe(true);
    expect(t.rawData!.length).toBe(0);
  });
  expect(encodeModel(model).length).toBeLessThan(bytes.length);
  refs.undo();
  expect(Buffer.from(encodeModel(model)).equals(Buffer.from(encodeModel(decodeModel(bytes, file))))).toBe(true);
});

test("the session graph opens by path with the whole graph's outputs, and is removed", async () => {
  const r = prng(4);
  const pixels = Float32Array.from({ length: 3 * 3 * IMG * IMG }, () => r() * 2);
  const feeds = { pixels: new ort.Tensor("float32", pixels, [3, 3, IMG, IMG]) };
  const whole = await ort.InferenceSession.create(bytes);
  const graph = sessionGraph(decodeModel(bytes, file), file, bytes, MIN);
  expect(typeof graph.source).toBe("string");
  const source = graph.source as string;
  expect(path.dirname(source)).toBe(dir);
  expect(path.basename(source).startsWith(SESSION_GRAPH_PREFIX)).toBe(true);
  const byPath = await ort.InferenceSession.create(source);
  graph.remove();
  expect(existsSync(source)).toBe(false);
  expect(readdirSync(dir).filter((f) => f.startsWith(SESSION_GRAPH_PREFIX))).toEqual([]);
  const [a, b] = [await whole.run(feeds), await byPath.run(feeds)];
  expect(Array.from(b.image_embeds.data as Float32Array)).toEqual(Array.from(a.image_embeds.data as Float32Array));
  await whole.release();
  await byPath.release();
});

test("a folder that cannot be written: the whole graph, raw data in place", () => {
  const model = decodeModel(bytes, file);
  const graph = sessionGraph(model, path.join(dir, "no-such-folder", "image.onnx"), bytes, MIN);
  expect(graph.source).toBeInstanceOf(Uint8Array);
  expect(Buffer.from(graph.source as Uint8Array).equals(Buffer.from(encodeModel(decodeModel(bytes, file))))).toBe(true);
});
