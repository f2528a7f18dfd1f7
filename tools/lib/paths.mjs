// Repo locations and local tool binaries shared by tools/start.mjs and tools/test.mjs.
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const WEB_DIR = path.join(ROOT, "apps", "web");
export const ARTIFACTS_DIR = path.join(ROOT, "artifacts");
export const PRISMA_CLIENT = path.join(ROOT, "libs", "db", "src", "generated", "prisma", "client.ts");
export const BUILTIN_MANIFEST = path.join(ROOT, "libs", "model-zoo", "assets", "clip-shapes", "model.json");
export const API_MAIN = path.join(ROOT, "apps", "api", "src", "main.ts");
export const CLI_MAIN = path.join(ROOT, "apps", "cli", "src", "main.ts");
export const MIGRATE_SCRIPT = path.join(ROOT, "libs", "db", "scripts", "migrate.ts");

/** node_modules/.bin/<name> */
export const bin = (name) => path.join(ROOT, "node_modules", ".bin", name);
/** tsx with the repo's path aliases (@mmatlas/* -> libs/<name>/src/index.ts) */
export const tsxArgs = (script, ...args) => ["--tsconfig", path.join(ROOT, "tsconfig.base.json"), script, ...args];
