// `npm run cluster -- --api 2 --workers 2 [--port 4000]`: a local cluster on the machine's engines. Creates
// and migrates the PostgreSQL database (DATABASE_URL, default .../mmatlas_cluster), then starts N API nodes on
// consecutive ports (subscriptions, co-labeling and rate limits shared through REDIS_URL, default
// redis://127.0.0.1:6379; builds queued to BullMQ) and M build workers (`npm run worker`). Output lines are
// prefixed [api-1] [worker-1] ...; Ctrl-C / SIGTERM stops every process cleanly (SIGKILL after 15 s).
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { parseArgs } from "node:util";
import { API_MAIN, MIGRATE_SCRIPT, ROOT, bin, tsxArgs } from "./lib/paths.mjs";
import { run } from "./lib/run.mjs";
import { withMallocTuning } from "./lib/malloc-tuning.mjs";
import { withApiHeapTuning } from "./lib/api-heap.mjs";
import path from "node:path";

const { values } = parseArgs({
  options: {
    api: { type: "string", default: "2" },
    workers: { type: "string", default: "1" },
    port: { type: "string", default: "4000" },
  },
});
const apiCount = Number(values.api);
const workerCount = Number(values.workers);
const basePort = Number(values.port);
for (const [name, n, min] of [
  ["--api", apiCount, 1],
  ["--workers", workerCount, 0],
  ["--port", basePort, 1],
]) {
  if (!Number.isInteger(n) || n < min) {
    console.error(`${name} must be an integer >= ${min}`);
    process.exit(2);
  }
}
const DATABASE_URL = process.env.DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/mmatlas_cluster";
const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const WORKER_MAIN = path.join(ROOT, "apps", "worker", "src", "main.ts");

async function ensureDatabase(url) {
  const pg = createRequire(path.join(ROOT, "package.json"))("pg");
  const name = new URL(url).pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`unsupported database name "${name}"`);
    const exists = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (!exists.rowCount) {
      await client.query(`create database "${name}"`);
      console.log(`[cluster] created database ${name}`);
    }
  } finally {
    await client.end();
  }
}

const children = [];
let stopping = false;

function start(label, script, env) {
  const tuned = withMallocTuning({ ...process.env, DATABASE_URL, REDIS_URL, ...env });
  const child = spawn(bin("tsx"), tsxArgs(script), {
    cwd: ROOT,
    env: script === API_MAIN ? withApiHeapTuning(tuned) : tuned,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const prefix = (stream, out) => {
    let rest = "";
    stream.on("data", (chunk) => {
      const lines = (rest + chunk.toString()).split("\n");
      rest = lines.pop();
      for (const line of lines) out.write(`[${label}] ${line}\n`);
    });
    stream.on("end", () => {
      if (rest) out.write(`[${label}] ${rest}\n`);
    });
  };
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  child.once("exit", (code, signal) => {
    console.log(`[cluster] ${label} exited (${signal ?? `code ${code}`})`);
    if (!stopping) {
      console.log("[cluster] a process stopped unexpectedly: stopping the cluster");
      void stopAll(1);
    }
  });
  children.push({ label, child });
}

async function stopAll(exitCode = 0) {
  if (stopping) return;
  stopping = true;
  console.log("[cluster] stopping ...");
  const alive = children.filter(({ child }) => child.exitCode === null && child.signalCode === null);
  await Promise.all(
    alive.map(
      ({ child, label }) =>
        new Promise((resolve) => {
          const killer = setTimeout(() => {
            console.log(`[cluster] ${label} did not stop in 15 s: SIGKILL`);
            child.kill("SIGKILL");
          }, 15_000);
          child.once("exit", () => {
            clearTimeout(killer);
            resolve();
          });
          child.kill("SIGTERM");
        }),
    ),
  );
  console.log("[cluster] stopped");
  process.exit(exitCode);
}

async function main() {
  await ensureDatabase(DATABASE_URL);
  // one migration run before the nodes start (they would otherwise race to migrate)
  const migrated = await run(bin("tsx"), tsxArgs(MIGRATE_SCRIPT, "deploy"), { env: { ...process.env, DATABASE_URL } });
  if (migrated !== 0) {
    console.error("[cluster] migrations failed");
    process.exit(migrated);
  }
  process.once("SIGINT", () => void stopAll(0));
  process.once("SIGTERM", () => void stopAll(0));
  for (let i = 0; i < apiCount; i++)
    start(`api-${i + 1}`, API_MAIN, {
      PORT: String(basePort + i),
      JOB_RUNNER: workerCount > 0 ? "queue" : "in-process",
    });
  for (let i = 0; i < workerCount; i++) start(`worker-${i + 1}`, WORKER_MAIN, {});
  const urls = Array.from({ length: apiCount }, (_, i) => `http://127.0.0.1:${basePort + i}/graphql`);
  console.log(
    `[cluster] ${apiCount} API node(s): ${urls.join(" ")}; ${workerCount} worker(s); database ${new URL(DATABASE_URL).pathname.slice(1)}; Redis ${REDIS_URL}`,
  );
}

main().catch((e) => {
  console.error(e);
  void stopAll(1);
});
