// `npm run bench:collab` — co-labeling on one API node (apps/api main.ts as a child process, PostgreSQL
// database mmatlas_bench_collab): (1) 100 editors on one unit: update propagation latency from one editor's
// change to each other editor (p50/p95; goal p95 < 10 ms): until it reached that editor's socket (p50/p95/p99_ms)
// and until it was applied in its Y.Doc (applied_*: also the wait behind the other simulated editors that share
// a client process; see collab-editors.ts), server CPU, the clients' CPU per delivery; (2) 1000 open unit documents
// (HocuspocusProviders, 20 per socket): server memory per open document and CPU while each
// document receives edits. Prints a table, writes artifacts/bench/collab.json.
// Before the measured changes, --warmup changes (default 50, one second) and a pause long enough for the debounced
// store that follows them warm up the freshly started server's and clients' JIT, and the server's first store and
// projection (its database queries are prepared on first use: 120 ms once, then about 10 ms); they are not counted.
//   options: --editors N (100) --docs N (1000) --rounds N (300) --warmup N (50) --client-processes N (2: one per core here) --database-url URL
import { parseArgs } from "node:util";
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import { login, registerUser } from "@mmatlas/auth";
import { annotationFields } from "@mmatlas/collab/doc";
import { migrateDatabase, openDatabase } from "@mmatlas/db";
import WebSocket from "ws";
import * as Y from "yjs";
import { startApiProcess } from "./lib/api-process";
import { seedCollabBenchUnits } from "./lib/collab-units";
import { startEditorGroups } from "./lib/editor-groups";
import { DEFAULT_PG_SERVER, databaseUrl, ensureDatabase } from "./lib/pg-admin";
import { cpuSeconds, innerProcess, rssBytes } from "./lib/proc-stats";
import { machineContext, percentile, printTable, writeReport, type Row } from "./lib/report";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(cond: () => boolean, what: string, timeoutMs = 120_000) {
  const t = Date.now();
  while (!cond()) {
    if (Date.now() - t > timeoutMs) throw new Error(`timed out: ${what}`);
    await sleep(20);
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      editors: { type: "string", default: "100" },
      docs: { type: "string", default: "1000" },
      rounds: { type: "string", default: "300" },
      warmup: { type: "string", default: "50" },
      "database-url": { type: "string" },
      "client-processes": { type: "string", default: "2" },
    },
  });
  const editorsN = Number(values.editors),
    docsN = Number(values.docs),
    rounds = Number(values.rounds),
    warmup = Number(values.warmup),
    clientProcesses = Number(values["client-processes"]);
  const url =
    values["database-url"] ??
    process.env.BENCH_COLLAB_DATABASE_URL ??
    databaseUrl(process.env.PG_SERVER_URL ?? DEFAULT_PG_SERVER, "mmatlas_bench_collab");
  await ensureDatabase(url, new URL(url).pathname.slice(1));
  await migrateDatabase({ url });
  const db = await openDatabase({ url });
  // fixture: one user per 10 editors, docsN units (reused across runs; documents are reset)
  const tokens: string[] = [];
  for (let u = 0; u < 10; u++) {
    const email = `bench-editor-${u}@example.org`;
    if (!(await db.prisma.user.findUnique({ where: { email } })))
      await registerUser(db.prisma, { email, password: "bench-password-1", displayName: `editor ${u}` });
    tokens.push((await login(db.prisma, { email, password: "bench-password-1" })).secret);
  }
  await seedCollabBenchUnits(db.prisma, {
    modelName: "bench-collab",
    displayName: "collab bench",
    idPrefix: "bc",
    count: docsN,
  });

  const before = machineContext();
  const api = await startApiProcess(
    { DATABASE_URL: url, REDIS_URL: "", JOB_RUNNER: "none", RATE_LIMIT_PER_IP: "0", RATE_LIMIT_PER_TOKEN: "0" },
    { quiet: true },
  );
  const serverPid = innerProcess(api.child.pid!);
  const collabUrl = api.url.replace("http://", "ws://").replace("/graphql", "/collab");
  const sockets: HocuspocusProviderWebsocket[] = [];
  const providers: HocuspocusProvider[] = [];
  const socket = () => {
    const s = new HocuspocusProviderWebsocket({ url: collabUrl, WebSocketPolyfill: WebSocket });
    sockets.push(s);
    return s;
  };
  const open = (s: HocuspocusProviderWebsocket, name: string, token: string) => {
    const doc = new Y.Doc();
    const p = new HocuspocusProvider({ websocketProvider: s, name, document: doc, token });
    p.attach();
    providers.push(p);
    return { doc, p };
  };
  const rows: Row[] = [];
  try {
    await sleep(1000);
    const rssIdle = rssBytes(serverPid);

    // (1) editors on one unit, one socket each (as separate browsers would have), spread over client processes
    // so the measured latency is the server's fan-out, not 99 deliveries queueing in one client event loop
    const group = await startEditorGroups({
      collabUrl,
      unit: "bc0",
      tokens,
      editors: editorsN,
      processes: clientProcesses,
    });
    for (let n = 0; n < warmup; n++) {
      group.edit(n % editorsN, -1 - n);
      await sleep(20);
    } // negative sequence numbers: not counted
    await sleep(1500); // > the store debounce (1 s): the warm-up's store and projection run now
    const cpu0 = cpuSeconds(serverPid);
    const wall0 = performance.now();
    for (let n = 0; n < rounds; n++) {
      group.edit(n % editorsN, n);
      await sleep(20);
    }
    await sleep(2000); // the last deliveries arrive
    const wall = (performance.now() - wall0) / 1000;
    const cpuShare = (cpuSeconds(serverPid) - cpu0) / wall;
    const { received: latencies, applied, clientCpuMs } = await group.finish();
    const ms = (xs: number[], p: number) => +percentile(xs, p).toFixed(2);
    const editorsRow = {
      scenario: `${editorsN} editors, 1 unit, ${clientProcesses} client processes`,
      edits: rounds,
      deliveries: latencies.length,
      p50_ms: ms(latencies, 50),
      p95_ms: ms(latencies, 95),
      p99_ms: ms(latencies, 99),
      applied_p50_ms: ms(applied, 50),
      applied_p95_ms: ms(applied, 95),
      client_us_per_delivery: +((clientCpuMs * 1000) / Math.max(1, latencies.length)).toFixed(0),
      server_cpu_pct: +(cpuShare * 100).toFixed(1),
      server_rss_mb: +(rssBytes(serverPid) / 2 ** 20).toFixed(1),
      kb_per_doc: null,
    };
    const { deliveries, p50_ms, p95_ms, applied_p50_ms, applied_p95_ms } = editorsRow;
    printTable("editors on one unit", [
      { deliveries, expected: rounds * (editorsN - 1), p50_ms, p95_ms, applied_p50_ms, applied_p95_ms },
    ]);
    rows.push(editorsRow);
    await sleep(5000); // the server unloads the editors' document; RSS settles before the baseline

    // (2) docsN open documents over 10 sockets
    // 20 documents per socket: a browser tab holds a few unit documents, not hundreds
    const shared = Array.from({ length: Math.ceil(docsN / 20) }, socket);
    const rssBeforeDocs = rssBytes(serverPid);
    const docs = Array.from({ length: docsN }, (_, i) =>
      open(shared[i % shared.length], `bc${i}`, tokens[i % tokens.length]),
    );
    const syncStart = performance.now();
    await waitFor(() => docs.every((d) => d.p.isSynced), `${docsN} documents synced`, 180_000).catch((e: Error) =>
      console.log(`${e.message}: ${docs.filter((d) => d.p.isSynced).length} of ${docsN} synced`),
    );
    const openSeconds = (performance.now() - syncStart) / 1000;
    const syncedDocs = docs.filter((d) => d.p.isSynced).length;
    for (const d of docs.filter((x) => x.p.isSynced)) {
      const f = annotationFields(d.doc);
      d.doc.transact(() => {
        f.label.insert(0, "round red shapes");
        f.description.insert(0, "fires on red round shapes in the top-left corner");
      });
    }
    await sleep(3000);
    const rssDocs = rssBytes(serverPid);
    const cpu1 = cpuSeconds(serverPid);
    const t1 = performance.now();
    for (let k = 0; k < 5; k++) {
      for (const d of docs.filter((x) => x.p.isSynced)) {
        const f = annotationFields(d.doc);
        f.description.insert(f.description.length, ".");
      }
      await sleep(1000);
    }
    const wall2 = (performance.now() - t1) / 1000;
    rows.push({
      scenario: `${syncedDocs} open unit docs (${openSeconds.toFixed(1)} s to open)`,
      edits: syncedDocs * 5,
      deliveries: null,
      p50_ms: null,
      p95_ms: null,
      p99_ms: null,
      applied_p50_ms: null,
      applied_p95_ms: null,
      client_us_per_delivery: null,
      server_cpu_pct: +(((cpuSeconds(serverPid) - cpu1) / wall2) * 100).toFixed(1),
      server_rss_mb: +(rssDocs / 2 ** 20).toFixed(1),
      kb_per_doc: +((rssDocs - rssBeforeDocs) / Math.max(1, syncedDocs) / 1024).toFixed(1),
    });
    printTable(
      `bench:collab — one API node (server RSS idle ${(rssIdle / 2 ** 20).toFixed(0)} MB; goal p95 < 10 ms)`,
      rows,
    );
    writeReport("collab", {
      editors: editorsN,
      docs: docsN,
      rounds,
      warmup,
      clientProcesses,
      loadBefore: before.loadavg,
      rssIdleMb: rssIdle / 2 ** 20,
      rows,
      metric:
        "p50/p95/p99_ms: from the send to the change's arrival at each other editor's socket; applied_*: until it is in that editor's Y.Doc (includes waiting behind the other simulated editors of its client process)",
      goal: { p95MsBelow: 10 },
      goalMet: Number(rows[0].p95_ms) < 10,
    });
  } finally {
    for (const p of providers) p.destroy();
    for (const s of sockets) s.destroy();
    await api.stop();
    await db.close();
  }
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
