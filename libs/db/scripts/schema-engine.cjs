#!/usr/bin/env node
// Stand-in for Prisma's native `schema-engine` binary, which would be downloaded from the internet.
// Speaks the same newline-delimited JSON-RPC on stdin/stdout as the native engine, but runs Prisma's
// schema engine compiled to WASM (@prisma/schema-engine-wasm, same engine hash as the CLI) over a
// driver adapter: datasource host "pglite" -> embedded PGlite in $PGLITE_DIR (default ./.data/pglite),
// any other postgres:// URL -> PostgreSQL through @prisma/adapter-pg. Selected by prisma.config.ts.
"use strict";
const { readFile, mkdir } = require("node:fs/promises");
const path = require("node:path");
const readline = require("node:readline");

const wasmDir = path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));

function parseArgs(argv) {
  const datamodelPaths = [];
  let datasource = {};
  let cliCommand;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--datamodels") datamodelPaths.push(argv[++i]);
    else if (argv[i] === "--datasource") datasource = JSON.parse(argv[++i]);
    else if (argv[i] === "cli") cliCommand = argv[++i];
  }
  return { datamodelPaths, datasource, cliCommand };
}

const logError = (message) => process.stderr.write(JSON.stringify({ level: "ERROR", fields: { message } }) + "\n");

/** adapter-pg 7.10.0 cannot decode Postgres' internal "char" type (OID 18) used by introspection: report it as text. */
function patchCharColumns(pg) {
  const fix = (r) => {
    for (const f of r?.fields ?? []) if (f.dataTypeID === 18) f.dataTypeID = 25;
    return r;
  };
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (config, values, cb) {
    if (typeof values === "function") return query.call(this, config, (e, r) => values(e, e ? r : fix(r)));
    if (typeof cb === "function") return query.call(this, config, values, (e, r) => cb(e, e ? r : fix(r)));
    const res = query.call(this, config, values);
    return typeof res?.then === "function" ? res.then(fix) : res;
  };
}

async function openAdapterFactory(url) {
  if (!url) throw new Error("schema-engine shim: no datasource url");
  if (new URL(url).hostname === "pglite") {
    const { PGlite } = require("@electric-sql/pglite");
    const { PrismaPGlite } = require("pglite-prisma-adapter");
    const dir = process.env.PGLITE_DIR ?? "./.data/pglite";
    if (dir !== "memory://") await mkdir(dir, { recursive: true });
    const db = dir === "memory://" ? new PGlite() : new PGlite(dir);
    await db.waitReady;
    return { factory: new PrismaPGlite(db), close: () => db.close() };
  }
  const pg = require("pg");
  const { PrismaPg } = require("@prisma/adapter-pg");
  const { parseIntoClientConfig } = require("pg-connection-string");
  patchCharColumns(pg);
  // adapter-pg's connectToShadowDb ignores `database` when built from a connection string and drops the
  // shadow database before closing its pool: build from parsed fields, close first, then drop.
  // adapter-pg also runs a script as the pieces between its semicolons, which cuts SQL function bodies ($$ … ; … $$)
  // apart: send scripts whole (as libs/db/src/adapter.ts runScriptsWhole does for the app's migrations).
  const runScriptsWhole = (adapter) => {
    adapter.executeScript = async (script) => {
      try {
        await adapter.client.query(script);
      } catch (e) {
        adapter.onError(e);
      }
    };
    return adapter;
  };
  class PrismaPgWithShadow extends PrismaPg {
    async connect() {
      return runScriptsWhole(await super.connect());
    }
    async connectToShadowDb() {
      const main = await this.connect();
      const database = `prisma_migrate_shadow_db_${globalThis.crypto.randomUUID()}`;
      await main.executeScript(`CREATE DATABASE "${database}"`);
      const shadow = runScriptsWhole(await new PrismaPg({ ...this.config, database }).connect());
      const dispose = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        await dispose();
        await main.executeScript(`DROP DATABASE IF EXISTS "${database}"`);
        await main.dispose();
      };
      return shadow;
    }
  }
  return { factory: new PrismaPgWithShadow(parseIntoClientConfig(url)), close: async () => {} };
}

async function loadWasmEngine() {
  // The package entry imports the .wasm as an ES module (bundler-only), so instantiate it by hand.
  const runtime = require("@prisma/schema-engine-wasm/schema_engine_bg");
  const bytes = await readFile(path.join(wasmDir, "schema_engine_bg.wasm"));
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { "./schema_engine_bg.js": runtime });
  runtime.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return runtime.SchemaEngine;
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv.includes("--version")) {
    const pkg = JSON.parse(await readFile(path.join(wasmDir, "package.json"), "utf8"));
    console.log(`schema-engine-cli ${pkg.version.split(".").pop()} (wasm shim)`);
    return;
  }
  const { datamodelPaths, datasource, cliCommand } = parseArgs(argv);
  const { bindMigrationAwareSqlAdapterFactory } = require("@prisma/driver-adapter-utils");
  const db = await openAdapterFactory(datasource.url);

  if (cliCommand) {
    // can-connect-to-database | create-database
    try {
      const conn = await db.factory.connect();
      await conn.queryRaw({ sql: "SELECT 1", args: [], argTypes: [] });
      await conn.dispose();
      await db.close();
      process.exit(0);
    } catch (e) {
      logError(String(e?.message ?? e));
      process.exit(1);
    }
  }

  const SchemaEngine = await loadWasmEngine();
  const datamodels = await Promise.all(datamodelPaths.map(async (p) => [p, await readFile(p, "utf8")]));
  const engine = await SchemaEngine.new(
    { datamodels: datamodels.length ? datamodels : undefined },
    () => {},
    bindMigrationAwareSqlAdapterFactory(db.factory),
  );

  const send = (msg) => process.stdout.write(JSON.stringify({ jsonrpc: "2.0", ...msg }) + "\n");
  let printId = 1e6;
  async function handle({ id, method, params = {} }) {
    const fn = method === "getDatabaseVersion" ? "version" : method;
    try {
      if (typeof engine[fn] !== "function")
        throw new Error(`schema-engine shim: "${method}" is not available in the WASM engine`);
      // The WASM engine connects the shadow DB only inside diagnoseMigrationHistory/devDiagnostic: prime it.
      let list = fn === "createMigration" || fn === "evaluateDataLoss" ? params.migrationsList : undefined;
      if (fn === "diff")
        for (const t of [params.from, params.to])
          if (t?.tag === "migrations") {
            const { tag, ...l } = t;
            list = l;
          }
      if (list)
        await engine.diagnoseMigrationHistory({
          migrationsList: list,
          optInToShadowDatabase: true,
          filters: params.filters,
        });
      let result = await engine[fn](params);
      if (fn === "diff" && typeof result?.stdout === "string") {
        // the native engine prints diffs via a "print" request
        send({ id: printId++, method: "print", params: { content: result.stdout.replace(/\n$/, "") } });
        result = { exitCode: result.exitCode };
      }
      send({ id, result: result ?? {} });
    } catch (e) {
      const message = String(e?.message ?? e);
      logError(message);
      send({
        id,
        error: {
          code: 4466,
          message: "An error happened. Check the data field for details.",
          data: { is_panic: false, message, error_code: e?.code, meta: e?.meta ?? {} },
        },
      });
    }
  }

  let queue = Promise.resolve();
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  rl.on("line", (line) => {
    if (!line.trim()) return;
    const msg = JSON.parse(line);
    if (msg.method) queue = queue.then(() => handle(msg)); // replies to our own "print" requests are ignored
  });
  rl.on("close", () =>
    queue.then(async () => {
      engine.free();
      await db.close();
      process.exit(0);
    }),
  );
}

main().catch((e) => {
  logError(String(e?.stack ?? e));
  process.exit(1);
});
