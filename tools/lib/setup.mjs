// First-run setup shared by `npm start` and `npm test`: install dependencies when node_modules is
// missing, and generate the Prisma client when it has not been generated yet.
import { existsSync } from "node:fs";
import path from "node:path";
import { PRISMA_CLIENT, ROOT, bin } from "./paths.mjs";
import { mustRun } from "./run.mjs";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";

export async function ensureDependencies() {
  if (existsSync(path.join(ROOT, "node_modules", ".bin", "tsx"))) return;
  console.log("node_modules missing: npm install --no-audit --no-fund ...");
  await mustRun("npm install", npm, ["install", "--no-audit", "--no-fund"]);
}

export async function generatePrismaClient({ always = false } = {}) {
  if (!always && existsSync(PRISMA_CLIENT)) return;
  console.log("Generating the Prisma client (npx prisma generate) ...");
  await mustRun("prisma generate", bin("prisma"), ["generate"]);
}
