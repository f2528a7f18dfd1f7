// Locates the repository root (the folder holding prisma/schema.prisma) from this file's location,
// so paths like prisma/migrations and .data/pglite do not depend on the process' working directory.
import { existsSync } from "node:fs";
import path from "node:path";

let cached: string | undefined;

/** Absolute path of the mmatlas repository root. */
export function repoRoot(): string {
  if (cached) return cached;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "prisma", "schema.prisma")) && existsSync(path.join(dir, "package.json")))
      return (cached = dir);
    if (path.dirname(dir) === dir) throw new Error(`@mmatlas/db: no prisma/schema.prisma above ${__dirname}`);
  }
}

/** Absolute path of prisma/migrations. */
export const migrationsDir = (): string => path.join(repoRoot(), "prisma", "migrations");

/** Absolute path of prisma/schema.prisma. */
export const schemaPath = (): string => path.join(repoRoot(), "prisma", "schema.prisma");

/** Default folder of the embedded PGlite database: $PGLITE_DIR or <repo>/.data/pglite. */
export const defaultPgliteDir = (): string => process.env.PGLITE_DIR ?? path.join(repoRoot(), ".data", "pglite");
