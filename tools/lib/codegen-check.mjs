// Are the committed graphql-codegen outputs (the web app's typed documents, the example API client) what
// codegen makes from the current apps/api/schema.graphql and documents? Regenerates each config in memory and
// compares with the files on disk. `npm run codegen:check` (also a step of `npm test`); fix with `npm run codegen`.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "./paths.mjs";

/** every graphql-codegen config whose output is committed, relative to the repo root */
export const CODEGEN_CONFIGS = ["tools/api-client/codegen.ts", "apps/web/codegen.ts"];

/**
 * The generated files that are stale, missing, or left over in an output folder (relative to the repo root),
 * for one config; empty when the committed output is current.
 */
export async function staleCodegenOutputs(configFile) {
  const { generate, loadCodegenConfig } = await import("@graphql-codegen/cli");
  const { config } = await loadCodegenConfig({ configFilePath: path.join(ROOT, configFile) });
  const outputs = await generate({ ...config, cwd: ROOT, silent: true }, false);
  const stale = [];
  const expected = new Set();
  for (const { filename, content } of outputs) {
    const full = path.resolve(ROOT, filename);
    expected.add(full);
    if (!existsSync(full)) stale.push(`${path.relative(ROOT, full)} (missing)`);
    else if (readFileSync(full, "utf8") !== content) stale.push(`${path.relative(ROOT, full)} (differs)`);
  }
  for (const target of Object.keys(config.generates)) {
    const dir = path.resolve(ROOT, target);
    if (!target.endsWith("/") || !existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (!expected.has(full)) stale.push(`${path.relative(ROOT, full)} (not generated any more)`);
    }
  }
  return stale;
}

/** Checks every config; prints what is stale. Resolves to true when all outputs are current. */
export async function checkCodegen() {
  let ok = true;
  for (const configFile of CODEGEN_CONFIGS) {
    const stale = await staleCodegenOutputs(configFile);
    if (stale.length === 0) {
      console.log(`codegen ${configFile}: up to date`);
      continue;
    }
    ok = false;
    console.error(
      `codegen ${configFile}: committed output is stale; run \`npm run codegen\`:\n  ${stale.join("\n  ")}`,
    );
  }
  return ok;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  checkCodegen().then(
    (ok) => {
      process.exitCode = ok ? 0 : 1;
    },
    (e) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
