// Reliability suites (multi-process, property and fuzz tests); the onnxruntime-friendly environment like apps/api.
module.exports = {
  ...require("../../jest.preset.js")(__dirname),
  testEnvironment: require.resolve("../../libs/inference/jest-environment.js"),
};
