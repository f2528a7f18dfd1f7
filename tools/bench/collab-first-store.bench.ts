// `npm run bench:collab-first-store` — how long the first co-labeling store blocks a fresh API process's event
// loop (issue 19). For each of --processes fresh API processes (apps/api main.ts, MMATLAS_DIAGNOSTICS=1,
// database mmatlas_bench_first_store), alternately with COLLAB_WARMUP=1 (the default: the collaboration
// queries run once at start) and COLLAB_WARMUP=0: one editor opens a unit's document, types a label, and the
// bench waits until the store and its projection are in the database; then it reads the API's diagnostics
// window (opened right before the edit): the event loop's longest delay and the longest loop blocks.
//   options: --processes N (3 per setting) --port P (4751) --database-url URL
import { parseArgs } from "node:util";
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import { login, registerUser } from "@mmatlas/auth";
import { annotationFields } from "@mmatlas/collab/doc";
import { migrateDatabase, openDatabase } from "@mmatlas/db";
import WebSocket from "ws";
import * as Y from "yjs";
import { startApiProcess } from "./lib/api-process";
import { seedCollabBenchUnits } from "./lib/collab-units";
import { DEFAULT_PG_SERVER, databaseUrl, ensureDatabase } from "./lib/pg-admin";
import { machineContext, printTable, writeReport, type Row } from "./lib/report";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Window {
  loopDelay: { max: number; p99: number };
  events: { kind: string; at: number; ms: number; detail: string }[];
}

async function main() {
  const { values } = parseArgs({
    options: {
      processes: { type: "string", default: "3" },
      port: { type: "string", default: "4751" },
      "database-url": { type: "string" },
    },
  });
  const n = Number(values.processes),
    port = Number(values.port);
  const url =
    values["database-url"] ?? databaseUrl(process.env.PG_SERVER_URL ?? DEFAULT_PG_SERVER, "mmatlas_bench_first_store");
  await ensureDatabase(url, new URL(url).pathname.slice(1));
  await migrateDatabase({ url });
  const db = await openDatabase({ url });
  const email = "bench-first-store@example.org";
  if (!(await db.prisma.user.findUnique({ where: { email } })))
    await registerUser(db.prisma, { email, password: "bench-password-1", displayName: "first store" });
  const token = (await login(db.prisma, { email, password: "bench-password-1" })).secret;
  await seedCollabBenchUnits(db.prisma, {
    modelName: "bench-first-store",
    displayName: "first store bench",
    idPrefix: "bfs",
    count: 2 * n,
  });

  const before = machineContext();
  const rows: Row[] = [];
  const timelines: {
    process: number;
    warmUp: boolean;
    events: { kind: string; afterMs: number; ms: number; detail: string }[];
  }[] = [];
  for (let i = 0; i < 2 * n; i++) {
    const warm = i % 2 === 0 ? "1" : "0";
    const unit = `bfs${i}`;
    const api = await startApiProcess(
      {
        DATABASE_URL: url,
        REDIS_URL: "",
        JOB_RUNNER: "none",
        RATE_LIMIT_PER_IP: "0",
        RATE_LIMIT_PER_TOKEN: "0",
        MMATLAS_DIAGNOSTICS: "1",
        MMATLAS_DIAGNOSTICS_MIN_MS: "2",
        COLLAB_WARMUP: warm,
      },
      { quiet: true, port },
    );
    try {
      await sleep(1500); // start-up work (JIT, the warm-up) settles
      const ws = new HocuspocusProviderWebsocket({
        url: api.url.replace("http://", "ws://").replace("/graphql", "/collab"),
        WebSocketPolyfill: WebSocket,
      });
      const doc = new Y.Doc();
      const provider = new HocuspocusProvider({ websocketProvider: ws, name: unit, document: doc, token });
      provider.attach();
      for (const t = Date.now(); !provider.isSynced; await sleep(10))
        if (Date.now() - t > 30_000) throw new Error("document did not sync");
      await sleep(300);
      await fetch(new URL("/__diagnostics/reset", api.url), { method: "POST" });
      const t0 = Date.now();
      annotationFields(doc).label.insert(0, "round red shapes");
      // the debounced store (1 s) writes the document, then projects it into the unit's annotation
      for (;;) {
        const a = await db.prisma.annotation.findFirst({ where: { unitId: unit }, select: { id: true } });
        if (a) break;
        if (Date.now() - t0 > 30_000) throw new Error("the store did not happen");
        await sleep(20);
      }
      await sleep(200);
      const w = (await (await fetch(new URL("/__diagnostics", api.url))).json()) as Window;
      const loops = w.events.filter((e) => e.kind === "loop").sort((a, b) => b.ms - a.ms);
      const gcs = w.events.filter((e) => e.kind === "gc").sort((a, b) => b.ms - a.ms);
      rows.push({
        process: i + 1,
        warm_up: warm === "1" ? "on" : "off",
        loop_delay_max_ms: w.loopDelay.max,
        longest_block_ms: loops[0]?.ms ?? 0,
        blocks_over_10ms: loops.filter((e) => e.ms >= 10).length,
        longest_gc_ms: gcs[0]?.ms ?? 0,
        store_seen_ms: Date.now() - t0,
      });
      timelines.push({
        process: i + 1,
        warmUp: warm === "1",
        events: w.events
          .filter((e) => e.ms >= 10)
          .sort((a, b) => a.at - b.at)
          .map((e) => ({ kind: e.kind, afterMs: Math.round(e.at - t0), ms: e.ms, detail: e.detail })),
      });
      provider.destroy();
      ws.destroy();
    } finally {
      await api.stop();
    }
  }
  printTable("first co-labeling store in a fresh API process (event-loop blocks while it runs)", rows);
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const w of ["on", "off"]) {
    const rs = rows.filter((r) => r.warm_up === w);
    console.log(
      `warm-up ${w}: median loop delay max ${med(rs.map((r) => Number(r.loop_delay_max_ms)))} ms, median longest block ${med(rs.map((r) => Number(r.longest_block_ms)))} ms`,
    );
  }
  writeReport("collab-first-store", { loadBefore: before.loadavg, rows, timelines });
  await db.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
