// Command line for migrations without Prisma's native engine: `npx tsx libs/db/scripts/migrate.ts <command>`
//   deploy       apply pending migrations (DATABASE_URL, else PGlite in PGLITE_DIR / <repo>/.data/pglite)
//   status       list applied / pending / edited migrations; exit code 1 when not up to date
//   create NAME  write prisma/migrations/<timestamp>_NAME for schema.prisma changes (like migrate dev --create-only)
import { migrateDatabase } from "../src";
import { createMigration, migrationStatus } from "../src/migrations";
import { describeTarget, resolveTarget } from "../src/adapter";

async function main(argv: string[]): Promise<number> {
  const [command, name] = argv;
  const where = () => describeTarget(resolveTarget());
  switch (command) {
    case "deploy": {
      const applied = await migrateDatabase();
      console.log(
        applied.length ? `Applied to ${where()}: ${applied.join(", ")}` : `No pending migrations (${where()}).`,
      );
      return 0;
    }
    case "status": {
      const s = await migrationStatus();
      console.log(`${where()}: ${s.local.length} migration(s) in prisma/migrations`);
      for (const [title, names] of [
        ["pending", s.pending],
        ["edited after apply", s.edited],
        ["failed", s.failed],
        ["applied but missing locally", s.unknownApplied],
      ] as const) {
        if (names.length) console.log(`  ${title}: ${names.join(", ")}`);
      }
      console.log(s.upToDate ? "Database schema is up to date." : "Database schema is NOT up to date.");
      return s.upToDate ? 0 : 1;
    }
    case "create": {
      if (!name) {
        console.error("usage: migrate.ts create NAME");
        return 2;
      }
      const created = await createMigration(name);
      console.log(
        created ? `Created prisma/migrations/${created}/migration.sql` : "No schema changes, no migration created.",
      );
      return 0;
    }
    default:
      console.error("usage: npx tsx libs/db/scripts/migrate.ts <deploy | status | create NAME>");
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  },
);
