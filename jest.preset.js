// Shared Jest settings: TypeScript through SWC (legacy decorators + metadata for type-graphql),
// CommonJS, and @mmatlas/* resolved to each lib's src/index.ts.
const path = require("node:path");

/** @param {string} projectDir absolute path of the project using the preset */
module.exports = function preset(projectDir) {
  return {
    rootDir: projectDir,
    displayName: path.relative(__dirname, projectDir),
    testEnvironment: "node",
    testMatch: ["<rootDir>/**/*.test.ts"],
    testPathIgnorePatterns: ["/node_modules/", "/dist/", "/.next/"],
    transform: {
      "^.+\\.(t|j)sx?$": ["@swc/jest", {
        jsc: {
          parser: { syntax: "typescript", decorators: true, tsx: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, react: { runtime: "automatic" } },
          target: "es2022",
        },
        module: { type: "commonjs" },
      }],
    },
    moduleNameMapper: { "^@mmatlas/([^/]+)$": path.join(__dirname, "libs/$1/src/index.ts") },
  };
};
