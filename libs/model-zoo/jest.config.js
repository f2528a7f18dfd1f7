// onnxruntime-node needs the host realm's typed arrays inside Jest: reuse @mmatlas/inference's environment.
module.exports = {
  ...require("../../jest.preset.js")(__dirname),
  testEnvironment: require.resolve("../inference/jest-environment.js"),
};
