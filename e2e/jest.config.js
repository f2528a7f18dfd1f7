// Jest config for the end-to-end suite (run by `npm test` after the web build, or
// `npx jest -c e2e/jest.config.js`). Tests are *.e2e.ts so the unit run never picks them up.
const preset = require("../jest.preset.js")(__dirname);

module.exports = {
  ...preset,
  displayName: "e2e",
  testMatch: ["<rootDir>/tests/**/*.e2e.ts"],
  globalSetup: "<rootDir>/src/global-setup.ts",
  // the in-process API and the atlas builder run onnxruntime-node: share the host's typed-array constructors
  testEnvironment: require.resolve("../libs/inference/jest-environment.js"),
  testTimeout: 120_000,
  maxWorkers: 1,
};
