// `npm run lint [-- eslint args]`: ESLint over the repo (eslint.config.mjs). First recomputes the Nx project
// graph that @nx/enforce-module-boundaries reads from .nx/workspace-data (without it the rule skips itself;
// from scratch, because Nx's incremental file map keeps stale targets when a project.json is added or moved).
// Exits with ESLint's code.
import { pathToFileURL } from "node:url";
import { bin } from "./lib/paths.mjs";
import { run } from "./lib/run.mjs";

/** Runs the lint; resolves to the exit code (0: no errors). */
export async function lint(args = []) {
  const env = { ...process.env, NX_DAEMON: "false" };
  const reset = await run(bin("nx"), ["reset", "--onlyWorkspaceData"], { env, stdout: "ignore" });
  const graph = reset || (await run(bin("nx"), ["show", "projects"], { env, stdout: "ignore" }));
  if (graph !== 0) {
    console.error("nx could not compute the project graph: module boundaries cannot be checked.");
    return graph;
  }
  return run(bin("eslint"), [".", ...args], { env });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await lint(process.argv.slice(2));
}
