// Shared preset + the onnxruntime-friendly environment of @mmatlas/inference (shared typed-array constructors).
module.exports = {
  ...require("../../jest.preset.js")(__dirname),
  testEnvironment: require.resolve("../inference/jest-environment.js"),
};
