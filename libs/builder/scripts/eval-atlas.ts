// The start both eval scripts share: the database (`--memory`: a fresh in-memory one; else the local database,
// DATABASE_URL or PGlite, migrated) and the default atlas in it, built first when it has none (a build that
// does not succeed is an error).
import { migrateDatabase, openDatabase, type Database } from "@mmatlas/db";
import { createTestDatabase } from "@mmatlas/db/testing";
import { buildDefaultAtlas } from "../src";

export async function openEvalDatabase(memory: boolean): Promise<Database> {
  if (memory) return createTestDatabase();
  await migrateDatabase();
  return openDatabase();
}

export async function ensureDefaultAtlas(db: Database): Promise<Awaited<ReturnType<typeof buildDefaultAtlas>>> {
  console.error(`Database: ${db.label}`);
  const started = Date.now();
  const built = await buildDefaultAtlas(db.prisma, { log: (m) => console.error(m) });
  if (built.job && built.job.status !== "SUCCEEDED")
    throw new Error(`default atlas build ${built.job.status}: ${built.job.error}`);
  if (built.job)
    console.error(
      `built the default atlas in ${((Date.now() - started) / 1000).toFixed(1)}s (build job ${built.job.id})`,
    );
  return built;
}
