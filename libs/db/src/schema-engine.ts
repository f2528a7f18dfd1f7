// Loads Prisma's schema engine compiled to WebAssembly (@prisma/schema-engine-wasm, same engine as the CLI)
// and runs it over a driver adapter, so migrations work offline on PGlite and PostgreSQL alike.
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm/schema_engine_bg";

export type { SchemaEngine };
type SchemaEngineClass = typeof SchemaEngine;

let engineClass: SchemaEngineClass | undefined;

/**
 * The engine arms ~10 s timers (timeouts raced against driver calls) that outlive a finished migration and
 * would keep the process alive: hand it unref'd timers instead (clearTimeout still works on them).
 */
function withUnrefTimers(runtime: WebAssembly.ModuleImports): WebAssembly.ModuleImports {
  const imports: WebAssembly.ModuleImports = { ...runtime };
  for (const name of Object.keys(runtime)) {
    if (name.startsWith("__wbg_setTimeout_")) {
      imports[name] = (callback: () => void, ms: number) => setTimeout(callback, ms >>> 0).unref();
    }
  }
  return imports;
}

/** Instantiates the WASM module once per process (the package entry imports a .wasm file, which needs a bundler). */
function loadEngineClass(): SchemaEngineClass {
  if (engineClass) return engineClass;
  const modulePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const runtime = require("@prisma/schema-engine-wasm/schema_engine_bg");
  const bytes = readFileSync(path.join(path.dirname(modulePath), "schema_engine_bg.wasm"));
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    "./schema_engine_bg.js": withUnrefTimers(runtime),
  });
  runtime.__wbg_set_wasm(instance.exports);
  (instance.exports as unknown as { __wbindgen_start(): void }).__wbindgen_start();
  engineClass = runtime.SchemaEngine as SchemaEngineClass;
  return engineClass;
}

/** Runs `fn` with a schema engine connected through `factory`; the engine is freed afterwards. */
export async function withSchemaEngine<T>(
  factory: SqlMigrationAwareDriverAdapterFactory,
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const Engine = loadEngineClass();
  const log = (msg: string) => {
    if (process.env.DEBUG_SCHEMA_ENGINE) process.stderr.write(`${msg}\n`);
  };
  const engine = await Engine.new({ datamodels: undefined }, log, bindMigrationAwareSqlAdapterFactory(factory));
  try {
    return await fn(engine);
  } finally {
    engine.free();
  }
}
