// CLIP-style preprocessing geometry (Hugging Face's shortest-edge sizes, Pillow's bicubic on hand-checkable cases,
// center crop), its manifest validation, and the graph helpers used by the Hugging Face import: the attention
// unfold Reshape and splitting one output's subgraph out of a joint model.
import { onnx } from "onnx-proto";
import * as ort from "onnxruntime-node";
import { encodeModel, extractTower, InferenceError, unfoldAttentionHeads, type RgbaImage } from "../src";
import { clipResizeCropRgb, shortestEdgeSize } from "../src/preprocess";
import { validateManifest } from "../src/manifest";

const rgba = (w: number, h: number, f: (x: number, y: number) => number): RgbaImage => ({
  width: w,
  height: h,
  data: Uint8Array.from({ length: w * h * 4 }, (_, i) =>
    i % 4 === 3 ? 255 : f((i >> 2) % w, Math.floor((i >> 2) / w)),
  ),
});

it("sizes the shortest edge like get_resize_output_image_size (long edge truncated)", () => {
  expect(shortestEdgeSize(45, 37, 32)).toEqual({ width: 38, height: 32 });
  expect(shortestEdgeSize(40, 50, 32)).toEqual({ width: 32, height: 40 });
  expect(shortestEdgeSize(640, 480, 224)).toEqual({ width: 298, height: 224 });
});

it("keeps a constant image constant, passes an image of the target size through, and center-crops (top = (h − crop) // 2)", () => {
  expect(
    new Set(
      clipResizeCropRgb(
        rgba(45, 37, () => 77),
        32,
        32,
      ),
    ),
  ).toEqual(new Set([77]));
  const ramp = rgba(4, 6, (x, y) => 10 * y + x); // already 4 wide: no resize; crop rows 1..4
  expect(Array.from(clipResizeCropRgb(ramp, 4, 4).subarray(0, 16))).toEqual([
    10, 11, 12, 13, 20, 21, 22, 23, 30, 31, 32, 33, 40, 41, 42, 43,
  ]);
  expect(() => clipResizeCropRgb(ramp, 3, 4)).toThrow(InferenceError);
});

it("validates the clip preprocessing fields of a manifest", () => {
  const base = {
    name: "m",
    displayName: "m",
    architecture: "clip-vit",
    modality: "IMAGE",
    embedDim: 4,
    hookPoints: [],
    image: {
      onnx: "a.onnx",
      input: "x",
      output: "y",
      preprocess: { size: 32, layout: "NCHW", mean: [0, 0, 0], std: [1, 1, 1] },
    },
  };
  const withPre = (p: object) => ({
    ...base,
    image: { ...base.image, preprocess: { ...base.image.preprocess, ...p } },
  });
  expect(validateManifest(withPre({ resize: "clip", shortestEdge: 36 })).image!.preprocess.resize).toBe("clip");
  expect(() => validateManifest(withPre({ resize: "crop" }))).toThrow(/resize must be "stretch" or "clip"/);
  expect(() => validateManifest(withPre({ resize: "clip", shortestEdge: 16 }))).toThrow(
    /shortestEdge must be an integer ≥ size/,
  );
});

/** x [B·2,T,T] → Softmax → p; also y = Sum(x) from a second input z (a joint graph with two outputs). */
function graph(): onnx.ModelProto {
  const f = (name: string, dims: (number | string)[]) =>
    onnx.ValueInfoProto.create({
      name,
      type: {
        tensorType: {
          elemType: 1,
          shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
        },
      },
    });
  return onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ version: 14 }],
    graph: {
      name: "g",
      input: [f("x", ["bh", "t", "t"]), f("z", ["b", 2])],
      output: [f("p", ["bh", "t", "t"]), f("y", ["b", 2])],
      node: [
        onnx.NodeProto.create({ opType: "Softmax", input: ["x"], output: ["p"], name: "sm" }),
        onnx.NodeProto.create({ opType: "Relu", input: ["z"], output: ["y"], name: "r" }),
      ],
    },
  });
}

it("unfolds [batch·heads, T, T] into [batch, heads, T, T] and splits one output's subgraph out of a joint model", async () => {
  const m = graph();
  unfoldAttentionHeads(m, "p", 2, "pattern");
  expect(() => unfoldAttentionHeads(m, "nope", 2, "x2")).toThrow(/no tensor named "nope"/);
  m.graph!.output!.push(onnx.ValueInfoProto.create({ name: "pattern" }));
  const s = await ort.InferenceSession.create(encodeModel(m));
  const out = await s.run({
    x: new ort.Tensor(
      "float32",
      new Float32Array(4 * 9).map((_, i) => i % 5),
      [4, 3, 3],
    ),
    z: new ort.Tensor("float32", new Float32Array(2), [1, 2]),
  });
  expect(out.pattern.dims).toEqual([2, 2, 3, 3]);
  expect(Array.from(out.pattern.data as Float32Array)).toEqual(Array.from(out.p.data as Float32Array));
  // T comes from the tensor at run time: the same session unfolds a shorter sequence (a text batch run trimmed)
  const short = await s.run({
    x: new ort.Tensor(
      "float32",
      new Float32Array(6 * 4).map((_, i) => i % 3),
      [6, 2, 2],
    ),
    z: new ort.Tensor("float32", new Float32Array(2), [1, 2]),
  });
  expect(short.pattern.dims).toEqual([3, 2, 2, 2]);
  expect(Array.from(short.pattern.data as Float32Array)).toEqual(Array.from(short.p.data as Float32Array));
  await s.release();

  const tower = extractTower(graph(), "y");
  expect(tower.graph!.node!.map((n) => n.opType)).toEqual(["Relu"]);
  expect(tower.graph!.input!.map((i) => i.name)).toEqual(["z"]);
  const ones = extractTower(graph(), "p", { onesLike: { x: "z" } }); // x ← ones shaped like z
  expect(ones.graph!.input!.map((i) => i.name)).toEqual(["z"]);
  const s2 = await ort.InferenceSession.create(encodeModel(ones));
  const o2 = await s2.run({ z: new ort.Tensor("float32", new Float32Array(6), [3, 2]) });
  expect(Array.from(o2.p.data as Float32Array)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]); // softmax over 2 equal ones
  await s2.release();
  expect(() => extractTower(graph(), "missing")).toThrow(/no output "missing"/);
});
