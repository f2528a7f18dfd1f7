module.exports = {
  ...require("../../jest.preset.js")(__dirname),
  testEnvironment: require.resolve("../inference/jest-environment.js"),
};
