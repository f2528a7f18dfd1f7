// ESLint (flat config) for the whole repo: architecture first (Nx module boundaries between projects,
// import cycles between files), then typescript-eslint's recommended rules, and eslint-config-prettier
// last so no formatting rule ever disagrees with Prettier. Run with `npm run lint` (tools/lint.mjs), which
// refreshes the Nx project graph the boundary rule reads. Tags live in each project's project.json;
// docs/architecture.md ("Lint and module boundaries") explains them.
import js from "@eslint/js";
import nx from "@nx/eslint-plugin";
import prettier from "eslint-config-prettier";
import { createNodeResolver, importX } from "eslint-plugin-import-x";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import { readFileSync } from "node:fs";
import tseslint from "typescript-eslint";

const TS_FILES = ["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.cts"];
const JS_FILES = ["**/*.js", "**/*.mjs", "**/*.cjs"];
/** Tests, fixtures, benches and e2e: untyped GraphQL/JSON responses are read as `any` there on purpose. */
const TEST_AND_BENCH_FILES = ["**/test/**", "**/*.test.ts", "**/bench/**", "tools/bench/**", "e2e/**"];

/** Each lib's public entry points: the files tsconfig.base.json maps the @mmatlas/* names to. */
const LIB_ENTRY_POINTS = Object.values(
  JSON.parse(readFileSync(new URL("./tsconfig.base.json", import.meta.url), "utf8")).compilerOptions.paths,
)
  .flat()
  .map((target) => target.replace(/^\.\//, ""));

/**
 * Imports exempt from the project-boundary check, each one a deliberate seam. Everywhere:
 * - `@mmatlas/collab/doc`: the browser-safe Yjs document model of libs/collab; the only lib code the web
 *   app (scope:ui) runs. The rest of libs/collab is server-only.
 */
const BOUNDARY_EXCEPTIONS = ["^@mmatlas/collab/doc$"];
/**
 * In test harnesses only (HARNESS_FILES), the in-process seams:
 * - `apps/api/src/server`: e2e, reliability and the tools benches start the real API in-process.
 * - `apps/api/src/diagnostics`: bench:api reads the API's diagnostics window; its wire types live there.
 * - `e2e/src/*`: the benches reuse the e2e browser and web-server harness.
 * - `tools/api-client/src/*` and `apps/web/src/features/atlas/*-queries`: API tests check that these
 *   clients' documents run against the schema (contract tests).
 * - `libs/porting/test/fixtures/*`: fixtures shared by tests.
 */
const HARNESS_EXCEPTIONS = [
  ...BOUNDARY_EXCEPTIONS,
  "^(\\.\\./)+(apps/)?api/src/server$",
  "^(\\.\\./)+apps/api/src/diagnostics$",
  "^(\\.\\./)+e2e/src/[\\w-]+$",
  "^(\\.\\./)+tools/api-client/src/[\\w-]+$",
  "^(\\.\\./)+web/src/features/atlas/[\\w-]+-queries$",
  "^(\\.\\./)+libs/porting/test/fixtures/[\\w-]+$",
];
const HARNESS_FILES = ["e2e/**/*.ts", "tools/**/*.ts", "apps/reliability/**/*.ts", "apps/api/test/**/*.ts"];

/** Who may depend on whom, by the tags in each project.json. */
const DEP_CONSTRAINTS = [
  // Kind of project: apps and libs build on libs only; harnesses (tools, e2e) may also drive apps.
  { sourceTag: "type:app", onlyDependOnLibsWithTags: ["type:lib"] },
  { sourceTag: "type:lib", onlyDependOnLibsWithTags: ["type:lib"] },
  { sourceTag: "type:tool", onlyDependOnLibsWithTags: ["type:lib", "type:app", "type:e2e"] },
  { sourceTag: "type:e2e", onlyDependOnLibsWithTags: ["type:lib", "type:app", "type:tool"] },
  // Where the code runs: the browser app uses browser-safe (shared) libs only; shared libs stay isomorphic.
  { sourceTag: "scope:ui", onlyDependOnLibsWithTags: ["scope:ui", "scope:shared"] },
  { sourceTag: "scope:server", onlyDependOnLibsWithTags: ["scope:server", "scope:shared"] },
  { sourceTag: "scope:shared", onlyDependOnLibsWithTags: ["scope:shared"] },
];

/** Options of @nx/enforce-module-boundaries with the given exempt imports. */
const boundaries = (allow) => ({
  allow,
  depConstraints: DEP_CONSTRAINTS,
  // Nx's "static import of a lazy-loaded lib" check is about bundle splitting; the Node benches and scripts
  // use import() for load order, not for splitting, so it is off (every import matches the exception).
  checkDynamicDependenciesExceptions: [".*"],
});

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/dist/**",
      "**/.next/**",
      "**/.nx/**",
      "**/coverage/**",
      "artifacts/**",
      "bench-results/**",
      "**/.data/**",
      "libs/db/src/generated/**",
      "**/gql/**",
      "apps/web/next-env.d.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: [...TS_FILES, ...JS_FILES],
    plugins: { "@nx": nx, "import-x": importX },
    languageOptions: { ecmaVersion: 2023, sourceType: "module", globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    settings: {
      "import-x/extensions": [".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs"],
      "import-x/resolver-next": [
        createNodeResolver({ extensions: [".ts", ".tsx", ".mts", ".js", ".mjs", ".cjs", ".json"] }),
      ],
    },
    rules: {
      // File-level cycles (inside a project; cycles between projects are @nx/enforce-module-boundaries below).
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      // `_name`: unused on purpose (a parameter kept for the signature, a field dropped by destructuring).
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          caughtErrorsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    // Project boundaries hold for the TypeScript sources; the CommonJS jest configs reach the root preset.
    files: TS_FILES,
    rules: { "@nx/enforce-module-boundaries": ["error", boundaries(BOUNDARY_EXCEPTIONS)] },
  },
  {
    files: HARNESS_FILES,
    rules: { "@nx/enforce-module-boundaries": ["error", boundaries(HARNESS_EXCEPTIONS)] },
  },
  {
    files: TEST_AND_BENCH_FILES,
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // The web app's React code: the rules of hooks (the React Compiler rules of the plugin are not enabled).
    files: ["apps/web/**/*.tsx", "apps/web/**/*.ts"],
    plugins: { "react-hooks": reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: { "react-hooks/rules-of-hooks": "error", "react-hooks/exhaustive-deps": "error" },
  },
  {
    files: LIB_ENTRY_POINTS,
    rules: {
      "no-restricted-syntax": [
        "error",
        { selector: "ExportAllDeclaration", message: "A lib's index.ts lists its exports by name (no `export *`)." },
      ],
    },
  },
  {
    // CommonJS config files (jest.config.js, jest.preset.js, …) and scripts.
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { ...globals.node } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  prettier,
);
