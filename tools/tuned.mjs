// Runs a TypeScript entry point (through tsx, with the repo's path aliases) in a child process that has the glibc
// malloc settings of tools/lib/malloc-tuning.mjs, which glibc only reads at start. Used by the npm scripts of
// processes that run ONNX inference (`npm run worker`, `npm run atlas`, the inference benches).
// First, as `npm start` does, it installs missing dependencies and generates a missing or stale Prisma client
// (progress on stderr), so these scripts work on a fresh clone: everything they import reads the generated client.
// Usage: node tools/tuned.mjs <script.ts> [args...]. Forwards SIGINT/SIGTERM and exits with the child's code.
import { spawn } from "node:child_process";
import { withMallocTuning } from "./lib/malloc-tuning.mjs";
import { bin, tsxArgs } from "./lib/paths.mjs";
import { ensureDependencies, generatePrismaClient } from "./lib/setup.mjs";

const [script, ...args] = process.argv.slice(2);
if (!script) {
  console.error("usage: node tools/tuned.mjs <script.ts> [args...]");
  process.exit(2);
}
await ensureDependencies({ toStderr: true });
await generatePrismaClient({ toStderr: true });
const child = spawn(bin("tsx"), tsxArgs(script, ...args), {
  cwd: process.cwd(),
  env: withMallocTuning(),
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.once("error", (e) => {
  console.error(`cannot start ${script}: ${e.message}`);
  process.exit(1);
});
child.once("exit", (code, signal) => process.exit(code ?? (signal === "SIGINT" ? 130 : 1)));
