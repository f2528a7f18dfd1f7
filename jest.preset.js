// Shared Jest settings: TypeScript through SWC (legacy decorators + metadata for type-graphql),
// CommonJS, and @mmatlas/* resolved to each lib's src/index.ts (subpaths to src/<subpath>/index.ts).
const path = require("node:path");

/** @param {string} projectDir absolute path of the project using the preset */
module.exports = function preset(projectDir) {
  return {
    rootDir: projectDir,
    displayName: path.relative(__dirname, projectDir),
    testEnvironment: "node",
    testMatch: ["<rootDir>/**/*.test.ts"],
    testPathIgnorePatterns: ["/node_modules/", "/dist/", "/.next/"],
    // PGlite (dynamic import() of node builtins) and the WASM schema engine (ESM) must be compiled to
    // CommonJS too: Jest cannot run import() or ESM without --experimental-vm-modules.
    transformIgnorePatterns: ["/node_modules/(?!(@electric-sql/pglite|@prisma/schema-engine-wasm)/)"],
    transform: {
      "^.+\\.(c|m)?(t|j)sx?$": [
        "@swc/jest",
        {
          jsc: {
            parser: { syntax: "typescript", decorators: true, tsx: true },
            transform: { legacyDecorator: true, decoratorMetadata: true, react: { runtime: "automatic" } },
            target: "es2022",
          },
          module: { type: "commonjs" },
        },
      ],
    },
    // A subpath entry (@mmatlas/collab/doc, @mmatlas/db/testing) lives in libs/<lib>/src/<subpath>/index.ts.
    moduleNameMapper: {
      "^@mmatlas/([^/]+)$": path.join(__dirname, "libs/$1/src/index.ts"),
      "^@mmatlas/([^/]+)/([^/]+)$": path.join(__dirname, "libs/$1/src/$2/index.ts"),
    },
  };
};
