// Shared preset + an environment whose typed arrays match onnxruntime-node's (see jest-environment.js).
module.exports = {
  ...require("../../jest.preset.js")(__dirname),
  testEnvironment: require.resolve("./jest-environment.js"),
};
