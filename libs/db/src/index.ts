// Public API of @mmatlas/db: open/migrate the database (PostgreSQL or embedded PGlite), named statements for
// hot reads (sqlReaderOf, with helpers for rows read as JSON), and the generated Prisma client (PrismaClient,
// Prisma, enums, model types). Fresh test databases and a query counter: @mmatlas/db/testing.
export {
  ActivationBand,
  type Annotation,
  type AnnotationRevision,
  AnnotationStatus,
  type ApiToken,
  type Comment,
  type Dataset,
  type Dictionary,
  type Example,
  HookKind,
  type HookPoint,
  type Job,
  JobKind,
  JobStatus,
  type LabelScore,
  LabelState,
  Modality,
  type Model,
  Prisma,
  PrismaClient,
  type ProbeResult,
  Role,
  SaeArchitecture,
  TokenScope,
  type TopActivation,
  Tower,
  type Unit,
  UnitKind,
  type User,
} from "./client";
export { type DatabaseLocation } from "./adapter";
export { openDatabase, type Database, type OpenDatabaseOptions } from "./open-database";
export { migrateDatabase, type MigrateOptions } from "./migrations";
export { repoRoot } from "./repo-root";
export { dataDir } from "./data-dir";
export { sqlDriverOf, sqlReaderOf, type NamedStatement, type SqlDriver, type SqlReader } from "./sql-reader";
export { jsonFloat, utcDate } from "./json-rows";
