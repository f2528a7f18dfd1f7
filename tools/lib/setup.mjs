// First-run setup shared by `npm start` and `npm test`: install dependencies when node_modules is
// missing, and generate the Prisma client when it is missing or older than prisma/schema.prisma.
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { PRISMA_CLIENT, ROOT, bin } from "./paths.mjs";
import { mustRun } from "./run.mjs";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";

export async function ensureDependencies() {
  if (existsSync(path.join(ROOT, "node_modules", ".bin", "tsx"))) return;
  console.log("node_modules missing: npm install --no-audit --no-fund ...");
  await mustRun("npm install", npm, ["install", "--no-audit", "--no-fund"]);
}

/** True when the generated client exists and is at least as new as the schema it was generated from. */
function clientIsCurrent() {
  if (!existsSync(PRISMA_CLIENT)) return false;
  return statSync(PRISMA_CLIENT).mtimeMs >= statSync(path.join(ROOT, "prisma", "schema.prisma")).mtimeMs;
}

export async function generatePrismaClient({ always = false } = {}) {
  if (!always && clientIsCurrent()) return;
  console.log("Generating the Prisma client (npx prisma generate) ...");
  await mustRun("prisma generate", bin("prisma"), ["generate"]);
}
