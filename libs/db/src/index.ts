// Public API of @mmatlas/db: open/migrate the database (PostgreSQL or embedded PGlite), fresh test
// databases, a SQL query counter, named statements for hot reads (sqlReaderOf, with helpers for rows read as
// JSON), and the generated Prisma client (PrismaClient, Prisma, enums, model types).
export * from "./client";
export { describeTarget, resolveTarget, MEMORY, type DatabaseLocation, type DatabaseTarget } from "./adapter";
export { openDatabase, type Database, type OpenDatabaseOptions } from "./open-database";
export { createMigration, migrateDatabase, migrationStatus, readMigrationsList, type MigrateOptions, type MigrationStatus } from "./migrations";
export { createTestDatabase, type TestDatabase, type TestDatabaseOptions } from "./test-database";
export { createQueryCounter, type QueryCounter } from "./query-counter";
export { repoRoot } from "./repo-root";
export { dataDir } from "./data-dir";
export { sqlDriverOf, sqlReaderOf, type NamedStatement, type SqlDriver, type SqlReader } from "./sql-reader";
export { jsonFloat, utcDate } from "./json-rows";
