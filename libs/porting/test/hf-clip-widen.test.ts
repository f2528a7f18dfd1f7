// widenFloat16 on hand-built graphs: float16 values, Casts, dtype attributes and graph types become float32; raw
// data of an odd length is a typed error.
import type { OnnxModel } from "@mmatlas/inference";
import { widenFloat16 } from "../src/hf-clip/widen-float16";

const FLOAT = 1,
  FLOAT16 = 10;
const half = (...bits: number[]) => new Uint8Array(Uint16Array.from(bits).buffer);

it("widens initializers, Constant values, Casts to float16 and float16 graph types", () => {
  const model = {
    graph: {
      // 0x3c00 = 1, 0xc000 = −2, 0x0001 = 2⁻²⁴, 0x7c00 = +Infinity
      initializer: [{ name: "w", dims: [4], dataType: FLOAT16, rawData: half(0x3c00, 0xc000, 0x0001, 0x7c00) }],
      node: [
        {
          opType: "Constant",
          output: ["c"],
          attribute: [{ name: "value", t: { dataType: FLOAT16, int32Data: [0x3800] } }],
        },
        { opType: "Cast", input: ["x"], output: ["y"], attribute: [{ name: "to", i: FLOAT16 }] },
        { opType: "Cast", input: ["y"], output: ["z"], attribute: [{ name: "to", i: 7 }] },
        { opType: "EyeLike", input: ["z"], output: ["e"], attribute: [{ name: "dtype", i: FLOAT16 }] },
      ],
      input: [{ name: "x", type: { tensorType: { elemType: FLOAT16 } } }],
      output: [{ name: "e", type: { tensorType: { elemType: FLOAT16 } } }],
    },
  } as unknown as OnnxModel;
  // initializer, Constant, the float16 Cast, EyeLike's dtype, input, output: 6 parts; the int64 Cast stays
  expect(widenFloat16(model, "m.onnx")).toBe(6);
  const g = model.graph!;
  expect(Number(g.initializer![0].dataType)).toBe(FLOAT);
  expect(Array.from(new Float32Array(new Uint8Array(g.initializer![0].rawData!).buffer))).toEqual([
    1,
    -2,
    2 ** -24,
    Infinity,
  ]);
  const constant = g.node![0].attribute![0].t!;
  expect(Array.from(new Float32Array(new Uint8Array(constant.rawData!).buffer))).toEqual([0.5]);
  expect(g.node!.slice(1).map((n) => Number(n.attribute![0].i))).toEqual([FLOAT, 7, FLOAT]);
  expect([g.input![0], g.output![0]].map((v) => Number(v.type!.tensorType!.elemType))).toEqual([FLOAT, FLOAT]);
  expect(widenFloat16(model, "m.onnx")).toBe(0); // nothing float16 is left
});

it("refuses float16 raw data of an odd length, naming the graph and tensor", () => {
  const model = {
    graph: { initializer: [{ name: "bad", dims: [2], dataType: FLOAT16, rawData: new Uint8Array(3) }], node: [] },
  } as unknown as OnnxModel;
  expect(() => widenFloat16(model, "onnx/vision_model_fp16.onnx")).toThrow(
    expect.objectContaining({
      code: "BAD_USER_INPUT",
      message: 'onnx/vision_model_fp16.onnx: float16 tensor "bad" has 3 bytes, not whole 2-byte values',
    }),
  );
});
