// `npm start`: everything a fresh clone needs to run mmatlas locally. Installs dependencies if missing,
// generates the Prisma client, migrates the database (embedded PGlite in .data/pglite unless DATABASE_URL
// is set), registers the built-in model, builds the web app when its sources changed, then serves the
// API (:4000/graphql) and the web app (:3000) with prefixed logs until Ctrl-C.
// `npm start -- --dev` serves the web app with `next dev` (hot reload) instead of a production build.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import readline from "node:readline";
import { API_MAIN, BUILTIN_MANIFEST, CLI_MAIN, MIGRATE_SCRIPT, ROOT, WEB_DIR, bin, tsxArgs } from "./lib/paths.mjs";
import { elapsed, mustRun } from "./lib/run.mjs";
import { ensureDependencies, generatePrismaClient } from "./lib/setup.mjs";
import { buildWeb, webBuildIsCurrent } from "./lib/web-build.mjs";
import { tcpReachable } from "./lib/reachable.mjs";
import { withMallocTuning } from "./lib/malloc-tuning.mjs";
import { withApiHeapTuning } from "./lib/api-heap.mjs";

const dev = process.argv.includes("--dev");
const API_PORT = Number(process.env.API_PORT ?? 4000);
const WEB_PORT = Number(process.env.WEB_PORT ?? 3000);
const API_URL = process.env.NEXT_PUBLIC_API_URL ?? `http://localhost:${API_PORT}/graphql`;
const color = (code) => (s) => (process.stdout.isTTY ? `\x1b[${code}m${s}\x1b[0m` : s);
const PREFIX = { api: color(36)("[api]"), web: color(35)("[web]") };

const children = new Map(); // name -> ChildProcess
let shuttingDown = false;

function serve(name, command, args, env) {
  const childEnv = { ...process.env, ...env };
  // the API runs the live probe (ONNX inference); see lib/malloc-tuning.mjs
  const child = spawn(command, args, {
    cwd: ROOT,
    env: name === "api" ? withApiHeapTuning(withMallocTuning(childEnv)) : childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on("line", (line) => console.log(`${PREFIX[name]} ${line}`));
  }
  child.once("exit", (code, signal) => {
    children.delete(name);
    if (shuttingDown) return;
    console.error(`${PREFIX[name]} exited (${signal ?? `code ${code}`}); stopping the other server.`);
    shutdown(1);
  });
  children.set(name, child);
}

async function shutdown(exitCode) {
  if (shuttingDown) return;
  shuttingDown = true;
  const exits = [...children.values()].map(
    (child) =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", resolve);
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
      }),
  );
  await Promise.all(exits);
  process.exit(exitCode);
}

async function waitUntilListening(port, name) {
  for (let i = 0; i < 600 && !shuttingDown; i++) {
    if (await tcpReachable("127.0.0.1", port, 500)) return true;
    if (!children.has(name)) return false;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

async function main() {
  const started = Date.now();
  await ensureDependencies();
  await generatePrismaClient();

  for (const [name, port] of [
    ["API", API_PORT],
    ["web", WEB_PORT],
  ]) {
    if (await tcpReachable("127.0.0.1", port)) {
      console.error(
        `Port ${port} (${name}) is already in use: stop what is running there, or set ${name === "API" ? "API_PORT" : "WEB_PORT"}.`,
      );
      process.exit(1);
    }
  }

  console.log("Migrating the database ...");
  await mustRun("migration", bin("tsx"), tsxArgs(MIGRATE_SCRIPT, "deploy"));

  if (existsSync(BUILTIN_MANIFEST)) {
    console.log("Registering the built-in model ...");
    await mustRun("built-in model registration", bin("tsx"), tsxArgs("tools/scripts/register-builtin-model.ts"));
    // first start only: the default atlas (≈1 min on 2 cores; resumes if a previous start was interrupted)
    console.log("Ensuring the default atlas of the built-in model (built once, on first start) ...");
    await mustRun("default atlas build", bin("tsx"), tsxArgs(CLI_MAIN, "build", "--default", "--if-missing"), {
      env: withMallocTuning(),
    });
  } else {
    console.log(`No built-in model manifest at ${BUILTIN_MANIFEST}; skipping registration.`);
  }

  if (!dev && !webBuildIsCurrent()) {
    console.log("Building the web app (next build apps/web; only when its sources changed) ...");
    if ((await buildWeb()) !== 0) {
      console.error("Web build failed.");
      process.exit(1);
    }
  }

  process.on("SIGINT", () => shutdown(0));
  process.on("SIGTERM", () => shutdown(0));

  // local use: the browser and tools on this machine reach the API over loopback, so npm start exempts loopback
  // from the per-IP limit (opt-in; the API's default exempts nothing). Set RATE_LIMIT_EXEMPT_IPS="" to turn it off.
  serve("api", bin("tsx"), tsxArgs(API_MAIN), {
    PORT: String(API_PORT),
    RATE_LIMIT_EXEMPT_IPS: process.env.RATE_LIMIT_EXEMPT_IPS ?? "127.0.0.1,::1",
  });
  serve("web", bin("next"), [dev ? "dev" : "start", WEB_DIR, "--port", String(WEB_PORT)], {
    NEXT_PUBLIC_API_URL: API_URL,
    NEXT_TELEMETRY_DISABLED: "1",
  });

  const [apiUp, webUp] = await Promise.all([waitUntilListening(API_PORT, "api"), waitUntilListening(WEB_PORT, "web")]);
  if (apiUp && webUp) {
    console.log(`\nmmatlas is running (ready in ${elapsed(started)}):`);
    console.log(`  web  http://localhost:${WEB_PORT}`);
    console.log(`  API  http://localhost:${API_PORT}/graphql`);
    console.log("Press Ctrl-C to stop.\n");
  }
}

main().catch((e) => {
  console.error(e);
  shutdown(1);
});
