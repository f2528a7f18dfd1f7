// Shared preset + the onnxruntime-friendly environment (shared typed-array constructors): the worker runs builds.
module.exports = {
  ...require("../../jest.preset.js")(__dirname),
  testEnvironment: require.resolve("../inference/jest-environment.js"),
};
