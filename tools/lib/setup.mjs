// First-run setup shared by `npm start`, `npm test` and tools/tuned.mjs (`npm run atlas`, `npm run worker`):
// install dependencies when node_modules is missing, and generate the Prisma client when it is missing or older
// than prisma/schema.prisma. `{ toStderr: true }` prints all progress on stderr (stdout may carry a command's data).
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { PRISMA_CLIENT, ROOT, bin } from "./paths.mjs";
import { mustRun } from "./run.mjs";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";

const output = (toStderr) => (toStderr ? { log: console.error, opts: { stdout: 2 } } : { log: console.log, opts: {} });

export async function ensureDependencies({ toStderr = false } = {}) {
  if (existsSync(path.join(ROOT, "node_modules", ".bin", "tsx"))) return;
  const { log, opts } = output(toStderr);
  log("node_modules missing: npm install --no-audit --no-fund ...");
  await mustRun("npm install", npm, ["install", "--no-audit", "--no-fund"], opts);
}

/** True when the generated client exists and is at least as new as the schema it was generated from. */
function clientIsCurrent() {
  if (!existsSync(PRISMA_CLIENT)) return false;
  return statSync(PRISMA_CLIENT).mtimeMs >= statSync(path.join(ROOT, "prisma", "schema.prisma")).mtimeMs;
}

export async function generatePrismaClient({ always = false, toStderr = false } = {}) {
  if (!always && clientIsCurrent()) return;
  const { log, opts } = output(toStderr);
  log("Generating the Prisma client (npx prisma generate) ...");
  await mustRun("prisma generate", bin("prisma"), ["generate"], opts);
}
