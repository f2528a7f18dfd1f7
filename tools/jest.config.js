// tools/: tests of the repo's own scripts and bench helpers; the inference environment (libs/inference) lets the
// bench helpers' tests run real onnxruntime builds (typed arrays of one realm).
module.exports = {
  ...require("../jest.preset.js")(__dirname),
  testEnvironment: require.resolve("../libs/inference/jest-environment.js"),
};
