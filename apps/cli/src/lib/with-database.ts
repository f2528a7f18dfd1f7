// Runs `fn` with the local database (DATABASE_URL, else the embedded PGlite) after applying migrations,
// and always closes it.
import { migrateDatabase, openDatabase, type PrismaClient } from "@mmatlas/db";

export async function withDatabase<T>(fn: (prisma: PrismaClient) => Promise<T>): Promise<T> {
  await migrateDatabase();
  const db = await openDatabase();
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
  if (out !== process.stdout) await new Promise<void>((resolve, reject) => (out as import("node:fs").WriteStream).end((e?: Error | null) => (e ? reject(e) : resolve())));
  return n;
}
