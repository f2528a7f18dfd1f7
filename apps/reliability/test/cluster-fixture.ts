// Fixture for multi-process tests: a fresh PostgreSQL database (TEST_DATABASE_URL, else the machine's
// PostgreSQL) shared by real API node processes (apps/api main.ts via tsx) with Redis, users with session
// tokens and a unit to co-edit, and Node HocuspocusProviders that reconnect quickly.
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import { login, registerUser } from "@mmatlas/auth";
import { createTestDatabase, type TestDatabase, createBareModel } from "@mmatlas/db/testing";
import { isRedisReachable, redisUrlOrDefault } from "@mmatlas/realtime/testing";
import pg from "pg";
import WebSocket from "ws";
import * as Y from "yjs";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres";

async function postgresReachable(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

/** PostgreSQL + Redis for a multi-process suite, or null (warning) when missing outside CI. */
export async function clusterEngines(suite: string): Promise<{ db: TestDatabase; redisUrl: string } | null> {
  const pgUrl = process.env.TEST_DATABASE_URL ?? DEFAULT_PG;
  const redisUrl = redisUrlOrDefault();
  const [pgOk, redisOk] = await Promise.all([postgresReachable(pgUrl), isRedisReachable(redisUrl)]);
  if (!pgOk || !redisOk) {
    const what = `${suite}: needs PostgreSQL (${pgUrl}: ${pgOk ? "ok" : "unreachable"}) and Redis (${redisUrl}: ${redisOk ? "ok" : "unreachable"})`;
    if (process.env.CI) throw new Error(what);
    console.warn(`WARNING ${what}; skipping`);
    return null;
  }
  const previous = process.env.TEST_DATABASE_URL;
  process.env.TEST_DATABASE_URL = pgUrl; // API node processes need a database they can share
  try {
    return { db: await createTestDatabase(), redisUrl };
  } finally {
    if (previous === undefined) delete process.env.TEST_DATABASE_URL;
    else process.env.TEST_DATABASE_URL = previous;
  }
}

export async function seedCoEditing(db: TestDatabase, people: string[]) {
  const tokens: Record<string, string> = {};
  for (const name of people) {
    await registerUser(db.prisma, { email: `${name}@example.org`, password: "long-enough-pw", displayName: name });
    tokens[name] = (await login(db.prisma, { email: `${name}@example.org`, password: "long-enough-pw" })).secret;
  }
  const model = await createBareModel(db.prisma);
  const hook = await db.prisma.hookPoint.create({
    data: {
      modelId: model.id,
      name: "vision.blocks.0.hook_resid_post",
      tower: "VISION",
      layer: 0,
      kind: "RESID",
      width: 8,
      tensor: "t",
    },
  });
  const unit = await db.prisma.unit.create({
    data: { slug: "m/h/0", modelId: model.id, hookPointId: hook.id, kind: "NEURON", index: 0 },
  });
  return { tokens, unitId: unit.id };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address() as net.AddressInfo;
      s.close(() => resolve(a.port));
    });
  });
}

export interface ApiNode {
  port: number;
  collabUrl: string;
  graphqlUrl: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<number | null>;
  kill9(): Promise<void>;
}

/** Starts apps/api main.ts as a child process (no job runner) and waits until it serves. */
export async function startApiNode(env: { DATABASE_URL: string; REDIS_URL: string }, port?: number): Promise<ApiNode> {
  const p = port ?? (await freePort());
  const child = spawn(
    path.join(ROOT, "node_modules", ".bin", "tsx"),
    ["--tsconfig", "tsconfig.base.json", "apps/api/src/main.ts"],
    {
      cwd: ROOT,
      env: { ...process.env, ...env, PORT: String(p), HOST: "127.0.0.1", JOB_RUNNER: "none", CI: process.env.CI ?? "" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // own process group: kill9 reaches the node process tsx runs, not only tsx
    },
  );
  let out = "";
  await new Promise<void>((resolve, reject) => {
    const onData = (b: Buffer) => {
      out += b.toString();
      if (out.includes("API ready at")) resolve();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) =>
      reject(new Error(`API node exited (${code}) before it was ready:\n${out.slice(-3000)}`)),
    );
    setTimeout(() => reject(new Error(`API node not ready in 120 s:\n${out.slice(-3000)}`)), 120_000).unref();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    port: p,
    collabUrl: `ws://127.0.0.1:${p}/collab`,
    graphqlUrl: `http://127.0.0.1:${p}/graphql`,
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
    kill9: async () => {
      process.kill(-child.pid!, "SIGKILL");
      await exited;
    },
  };
}

export interface Editor {
  doc: Y.Doc;
  provider: HocuspocusProvider;
  socket: HocuspocusProviderWebsocket;
  synced: () => boolean;
  destroy(): void;
}

export function connectEditor(url: string, unitId: string, token: string): Editor {
  const doc = new Y.Doc();
  const socket = new HocuspocusProviderWebsocket({
    url,
    WebSocketPolyfill: WebSocket,
    delay: 100,
    factor: 1.2,
    maxDelay: 500,
    minDelay: 50,
    maxAttempts: 0,
  });
  const provider = new HocuspocusProvider({ websocketProvider: socket, name: unitId, document: doc, token });
  provider.attach();
  return {
    doc,
    provider,
    socket,
    synced: () => provider.isSynced && provider.unsyncedChanges === 0,
    destroy: () => {
      // ws emits "error" (next tick) when a socket still connecting is closed, after the provider dropped its listeners
      (socket.webSocket as unknown as { on?: (event: string, f: () => void) => void } | null)?.on?.("error", () => {});
      provider.destroy();
      socket.destroy();
    },
  };
}

export async function waitFor(
  cond: () => boolean | Promise<boolean>,
  what: string | (() => string),
  timeoutMs = 30_000,
): Promise<void> {
  const start = Date.now();
  while (!(await cond())) {
    if (Date.now() - start > timeoutMs)
      throw new Error(`timed out waiting for ${typeof what === "string" ? what : what()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
