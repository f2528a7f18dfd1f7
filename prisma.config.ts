// Prisma CLI configuration. The native schema engine cannot be downloaded here, so the CLI is pointed at
// libs/db's WASM schema-engine shim; DATABASE_URL unset means the embedded PGlite database in .data/pglite.
import path from "node:path";
import { defineConfig } from "prisma/config";

process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(__dirname, "libs/db/scripts/schema-engine.cjs");

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://pglite/mmatlas" },
});
