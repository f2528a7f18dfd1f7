// Jest environment for onnxruntime-node: the native addon creates typed arrays in Node's main realm, and
// onnxruntime-common checks `instanceof Float32Array` etc. inside the test sandbox, which has its own
// typed-array constructors. Sharing the host's constructors makes ORT tensors work under Jest.
const { TestEnvironment } = require("jest-environment-node");

const SHARED = [
  "ArrayBuffer",
  "SharedArrayBuffer",
  "DataView",
  "Float32Array",
  "Float64Array",
  "Int8Array",
  "Int16Array",
  "Int32Array",
  "Uint8Array",
  "Uint8ClampedArray",
  "Uint16Array",
  "Uint32Array",
  "BigInt64Array",
  "BigUint64Array",
];

class OnnxRuntimeEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) if (globalThis[name]) this.global[name] = globalThis[name];
  }
}

module.exports = OnnxRuntimeEnvironment;
