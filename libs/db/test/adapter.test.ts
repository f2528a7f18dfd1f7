// Which database a configuration selects (pure: no database is opened).
import path from "node:path";
import { describeTarget, resolveTarget } from "../src/adapter";
import { poolSettings } from "../src/adapter";

const env = { DATABASE_URL: process.env.DATABASE_URL, PGLITE_DIR: process.env.PGLITE_DIR };
afterEach(() => {
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

it("uses PGlite in <repo>/.data/pglite when nothing is configured", () => {
  delete process.env.DATABASE_URL;
  delete process.env.PGLITE_DIR;
  const t = resolveTarget();
  expect(t.kind).toBe("pglite");
  expect(t.kind === "pglite" && t.dir).toBe(path.resolve(__dirname, "../../../.data/pglite"));
});

it("follows DATABASE_URL unless its host is 'pglite', and PGLITE_DIR for the folder", () => {
  process.env.DATABASE_URL = "postgresql://postgres:secret@db.example:5433/atlas";
  expect(resolveTarget()).toEqual({ kind: "postgres", url: process.env.DATABASE_URL });
  expect(describeTarget(resolveTarget())).toBe("postgres db.example:5433/atlas"); // no password
  process.env.DATABASE_URL = "postgresql://pglite/mmatlas";
  process.env.PGLITE_DIR = "memory://";
  expect(resolveTarget()).toEqual({ kind: "pglite", dir: "memory://" });
});

it("prefers explicit options over the environment", () => {
  process.env.DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/from_env";
  expect(resolveTarget({ pgliteDir: "memory://" })).toEqual({ kind: "pglite", dir: "memory://" });
  expect(resolveTarget({ url: "postgres://u@h/explicit", pgliteDir: "memory://" })).toEqual({
    kind: "postgres",
    url: "postgres://u@h/explicit",
  });
  expect(resolveTarget({ pgliteDir: "rel/dir" })).toEqual({ kind: "pglite", dir: path.resolve("rel/dir") });
});

it("refuses URLs that are not PostgreSQL", () => {
  expect(() => resolveTarget({ url: "mysql://root@localhost/x" })).toThrow(/unsupported database URL protocol/);
  expect(() => resolveTarget({ url: "not a url" })).toThrow(/invalid database URL/);
});

it("keeps PostgreSQL pool connections warm: 10 per process, closed after 300 s idle unless PG_POOL_* say otherwise", () => {
  expect(poolSettings({})).toEqual({ max: 10, idleTimeoutMillis: 300_000 });
  expect(poolSettings({ PG_POOL_MAX: "4", PG_POOL_IDLE_MS: "0" })).toEqual({ max: 4, idleTimeoutMillis: 0 });
  expect(poolSettings({ PG_POOL_MAX: "0" }).max).toBe(1);
  expect(() => poolSettings({ PG_POOL_IDLE_MS: "soon" })).toThrow(/PG_POOL_IDLE_MS must be a non-negative integer/);
  expect(() => poolSettings({ PG_POOL_MAX: "-2" })).toThrow(/PG_POOL_MAX/);
});
