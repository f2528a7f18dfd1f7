// Collects the SQL statements a PrismaClient sends (pass `counter.log` as `logQueries`), for tests that
// bound the number of queries a request costs.
export interface QueryCounter {
  /** pass this as `logQueries` to openDatabase / createTestDatabase */
  log: (sql: string) => void;
  /** statements seen since the last reset */
  readonly queries: readonly string[];
  readonly count: number;
  reset(): void;
}

/** Creates a counter; transaction control statements (BEGIN/COMMIT/ROLLBACK) are counted like any other. */
export function createQueryCounter(): QueryCounter {
  let queries: string[] = [];
  return {
    log: (sql) => {
      queries.push(sql);
    },
    get queries() {
      return queries;
    },
    get count() {
      return queries.length;
    },
    reset: () => {
      queries = [];
    },
  };
}
