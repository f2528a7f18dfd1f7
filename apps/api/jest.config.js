// Shared preset + the onnxruntime-friendly environment (shared typed-array constructors) for the probe query.
module.exports = {
  ...require("../../jest.preset.js")(__dirname),
  testEnvironment: require.resolve("../../libs/inference/jest-environment.js"),
};
