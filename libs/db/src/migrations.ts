// Applies, inspects and creates Prisma migrations (prisma/migrations) programmatically through the WASM
// schema engine. Applied migrations are recorded in _prisma_migrations with Prisma's own checksums, so
// `npx prisma migrate status` and `migrate deploy` agree with what this module did.
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { MigrationList } from "@prisma/schema-engine-wasm/schema_engine_bg";
import { MEMORY, openAdapter, resolveTarget, type DatabaseLocation } from "./adapter";
import { migrationsDir as defaultMigrationsDir, schemaPath as defaultSchemaPath } from "./repo-root";
import { withSchemaEngine } from "./schema-engine";

const LOCKFILE = "migration_lock.toml";
const NO_FILTERS = { externalTables: [], externalEnums: [] };

export interface MigrateOptions extends DatabaseLocation {
  /** folder of migrations; defaults to <repo>/prisma/migrations */
  migrationsDir?: string;
}

export interface MigrationStatus {
  /** migrations present in the folder, in order */
  local: string[];
  /** local migrations not applied to the database yet */
  pending: string[];
  /** migrations whose SQL changed after being applied (checksum mismatch) */
  edited: string[];
  /** migrations recorded as failed */
  failed: string[];
  /** migrations applied to the database that are missing from the folder */
  unknownApplied: string[];
  /** true when nothing is pending, edited, failed or unknown */
  upToDate: boolean;
}

/** Reads the migrations folder into the engine's input format (directories sorted by name). */
export async function readMigrationsList(dir: string = defaultMigrationsDir()): Promise<MigrationList> {
  const baseDir = path.resolve(dir);
  const names = existsSync(baseDir)
    ? (await readdir(baseDir, { withFileTypes: true }))
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  const lockPath = path.join(baseDir, LOCKFILE);
  return {
    baseDir,
    shadowDbInitScript: "",
    lockfile: { path: LOCKFILE, content: existsSync(lockPath) ? await readFile(lockPath, "utf8") : null },
    migrationDirectories: await Promise.all(
      names.map(async (name) => {
        const file = path.join(baseDir, name, "migration.sql");
        const content = existsSync(file)
          ? { tag: "ok" as const, value: await readFile(file, "utf8") }
          : { tag: "error" as const, value: `missing ${file}` };
        return { path: name, migrationFile: { path: "migration.sql", content } };
      }),
    ),
  };
}

/** Applies pending migrations through an already open adapter factory; returns the names applied. */
export async function applyMigrations(
  factory: SqlMigrationAwareDriverAdapterFactory,
  list: MigrationList,
): Promise<string[]> {
  const out = await withSchemaEngine(factory, (engine) =>
    engine.applyMigrations({ migrationsList: list, filters: NO_FILTERS }),
  );
  return out.appliedMigrationNames;
}

/** Applies pending migrations (like `prisma migrate deploy`) to the database chosen as in openDatabase. */
export async function migrateDatabase(opts: MigrateOptions = {}): Promise<string[]> {
  const list = await readMigrationsList(opts.migrationsDir);
  const db = await openAdapter(resolveTarget(opts), { forMigrations: true });
  try {
    return await applyMigrations(db.factory, list);
  } finally {
    await db.close();
  }
}

/** Compares the migrations folder with the database's _prisma_migrations (like `prisma migrate status`). */
export async function migrationStatus(opts: MigrateOptions = {}): Promise<MigrationStatus> {
  const list = await readMigrationsList(opts.migrationsDir);
  const db = await openAdapter(resolveTarget(opts), { forMigrations: true });
  try {
    const r = await withSchemaEngine(db.factory, (engine) =>
      engine.diagnoseMigrationHistory({ migrationsList: list, optInToShadowDatabase: false, filters: NO_FILTERS }),
    );
    const h = r.history;
    const pending =
      h?.diagnostic === "databaseIsBehind" || h?.diagnostic === "historiesDiverge" ? h.unappliedMigrationNames : [];
    const unknownApplied =
      h?.diagnostic === "migrationsDirectoryIsBehind" || h?.diagnostic === "historiesDiverge"
        ? h.unpersistedMigrationNames
        : [];
    return {
      local: list.migrationDirectories.map((d) => d.path),
      pending,
      unknownApplied,
      edited: r.editedMigrationNames,
      failed: r.failedMigrationNames,
      upToDate: !h && r.editedMigrationNames.length === 0 && r.failedMigrationNames.length === 0,
    };
  } finally {
    await db.close();
  }
}

/**
 * Writes a new migration for the difference between the migration history and prisma/schema.prisma
 * (like `prisma migrate dev --create-only`), computed on a throwaway in-memory PGlite.
 * Returns the new folder's name, or null when the schema has no changes.
 */
export async function createMigration(
  name: string,
  opts: { migrationsDir?: string; schemaPath?: string } = {},
): Promise<string | null> {
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`migration name must be letters, digits and _: "${name}"`);
  const dir = path.resolve(opts.migrationsDir ?? defaultMigrationsDir());
  const schemaFile = opts.schemaPath ?? defaultSchemaPath();
  const files = [{ path: schemaFile, content: await readFile(schemaFile, "utf8") }];
  const list = await readMigrationsList(dir);
  const db = await openAdapter({ kind: "pglite", dir: MEMORY });
  try {
    const out = await withSchemaEngine(db.factory, async (engine) => {
      // The WASM engine connects its shadow database only inside devDiagnostic / diagnoseMigrationHistory:
      // replay the history into the throwaway database, then diagnose, then create (what `migrate dev` does).
      if (list.migrationDirectories.length) await engine.applyMigrations({ migrationsList: list, filters: NO_FILTERS });
      const diag = await engine.devDiagnostic({ migrationsList: list, filters: NO_FILTERS });
      if (diag.action.tag !== "createMigration")
        throw new Error(`migration history problem: ${JSON.stringify(diag.action)}`);
      return engine.createMigration({
        draft: false,
        migrationName: name,
        migrationsList: list,
        schema: { files },
        filters: NO_FILTERS,
      });
    });
    if (!out.migrationScript) return null;
    await mkdir(path.join(dir, out.generatedMigrationName), { recursive: true });
    await writeFile(path.join(dir, out.generatedMigrationName, `migration.${out.extension}`), out.migrationScript);
    if (!existsSync(path.join(dir, LOCKFILE))) {
      await writeFile(
        path.join(dir, LOCKFILE),
        `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${out.connectorType}"\n`,
      );
    }
    return out.generatedMigrationName;
  } finally {
    await db.close();
  }
}
