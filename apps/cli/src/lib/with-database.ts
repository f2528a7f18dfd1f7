// The local database (DATABASE_URL, else the embedded PGlite) prepared as `npm start` prepares it, minus the
// default atlas: migrated, with the built-in model registered when missing, so every command works on an empty
// database (e.g. `atlas import sae <folder> -m clip-shapes`). withDatabase runs `fn` on it and always closes it.
import { existsSync } from "node:fs";
import { ensureModelRegistered } from "@mmatlas/catalog";
import { migrateDatabase, openDatabase, type Database, type PrismaClient } from "@mmatlas/db";
import { builtinManifestPath } from "@mmatlas/model-zoo";

/** Migrates and opens the local database and registers the built-in model when it is not there yet. */
export async function openPreparedDatabase(): Promise<Database> {
  await migrateDatabase();
  const db = await openDatabase();
  try {
    if (existsSync(builtinManifestPath())) {
      const r = await ensureModelRegistered(db.prisma, builtinManifestPath());
      if (r)
        console.error(
          `Registered the built-in model ${r.model.name} in ${db.label}: ${r.hookPoints} hook points, ${r.dictionaries} SAEs.`,
        );
    }
    return db;
  } catch (e) {
    await db.close();
    throw e;
  }
}

export async function withDatabase<T>(fn: (prisma: PrismaClient) => Promise<T>): Promise<T> {
  const db = await openPreparedDatabase();
  try {
    return await fn(db.prisma);
  } finally {
    await db.close();
  }
}

/** Writes async lines to a file (or stdout when `file` is undefined or "-"); returns the line count. */
export async function writeLines(lines: AsyncIterable<string>, file?: string): Promise<number> {
  const { createWriteStream } = await import("node:fs");
  const out = file && file !== "-" ? createWriteStream(file) : process.stdout;
  let n = 0;
  for await (const line of lines) {
    n += 1;
    if (!out.write(line)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  }
  if (out !== process.stdout)
    await new Promise<void>((resolve, reject) =>
      (out as import("node:fs").WriteStream).end((e?: Error | null) => (e ? reject(e) : resolve())),
    );
  return n;
}
