// @mmatlas/db/testing: test support only (tests, e2e, benches, dev scripts), never product code: fresh
// migrated databases (in-memory PGlite, or a throwaway PostgreSQL database) and a SQL statement counter.
export { createTestDatabase, type TestDatabase, type TestDatabaseOptions } from "./test-database";
export { createQueryCounter, type QueryCounter } from "./query-counter";
export { createBareModel } from "./bare-model";
export { createBareHookPoint } from "./bare-hook-point";
