// `npx tsx --tsconfig tsconfig.base.json tools/bench/collab-attacks.bench.ts` — the /collab attacks of issue
// 15, measured: (1) an awareness flood: an anonymous client sends 40 awareness updates of 900 KB each ("admin
// (spoofed)", a CSS-URL colour) while 5 viewers watch; (2) document growth: a signed-in annotator sends 30 updates of 900 KB each (one per
// connection, as a client that reconnects after each refusal). Reports bytes delivered to the viewers, bytes
// stored in CollabDocument, and the peak growth of this process's RSS (collab server + viewers; the attacker's
// payloads are built before the baseline). The server runs
// in this process on a fresh database (TEST_DATABASE_URL, else in-memory PGlite), like the API's /collab.
//   options: --collab-src DIR  the @mmatlas/collab sources to measure (default libs/collab/src; for "before",
//            `mkdir -p .data/collab-before && git archive <commit> libs/collab/src | tar -x -C .data/collab-before`
//            then --collab-src .data/collab-before/libs/collab/src) · --only flood|growth · --json FILE
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import { login, registerUser } from "@mmatlas/auth";
import { createTestDatabase, createBareModel } from "@mmatlas/db/testing";
import WebSocket, { WebSocketServer } from "ws";
import * as Y from "yjs";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MB = (n: number) => (Math.abs(n) >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${n} bytes`);

// lib0 encoding of the few Hocuspocus messages a raw attacker needs
const varUint = (n: number): number[] => {
  const o: number[] = [];
  while (n > 0x7f) {
    o.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  o.push(n);
  return o;
};
const bytesOf = (b: Uint8Array): Buffer => Buffer.concat([Buffer.from(varUint(b.length)), Buffer.from(b)]);
const str = (s: string) => bytesOf(new TextEncoder().encode(s));
const msg = (doc: string, type: number, ...body: Buffer[]) =>
  Buffer.concat([str(doc), Buffer.from(varUint(type)), ...body]);
const auth = (doc: string, token: string) => msg(doc, 2, Buffer.from(varUint(0)), str(token));
const awareness = (doc: string, clientId: number, clock: number, state: unknown) =>
  msg(
    doc,
    1,
    bytesOf(
      Buffer.concat([
        Buffer.from(varUint(1)),
        Buffer.from(varUint(clientId)),
        Buffer.from(varUint(clock)),
        str(JSON.stringify(state)),
      ]),
    ),
  );
const update = (doc: string, u: Uint8Array) => msg(doc, 0, Buffer.from(varUint(2)), bytesOf(u));

async function rawSend(url: string, frames: Buffer[]) {
  const ws = new WebSocket(url, { maxPayload: 64 * 1024 * 1024 });
  ws.on("error", () => {});
  await new Promise<void>((res) => {
    ws.once("open", () => res());
    ws.once("close", () => res());
  });
  for (const f of frames)
    if (ws.readyState === WebSocket.OPEN) {
      ws.send(f);
      await sleep(20);
    }
  await sleep(200);
  ws.terminate();
}

async function main() {
  const { values } = parseArgs({
    options: {
      "collab-src": { type: "string", default: "libs/collab/src" },
      json: { type: "string" },
      only: { type: "string" },
    },
  });
  const src = path.resolve(values["collab-src"]!);
  const collabLib = await import(path.join(src, "index.ts"));
  const db = await createTestDatabase();
  await registerUser(db.prisma, { email: "a@example.org", password: "long-enough-pw", displayName: "annotator" });
  const token = (await login(db.prisma, { email: "a@example.org", password: "long-enough-pw" })).secret;
  const model = await createBareModel(db.prisma);
  const hook = await db.prisma.hookPoint.create({
    data: { modelId: model.id, name: "h", tower: "VISION", layer: 0, kind: "RESID", width: 8, tensor: "t" },
  });
  const unit = async (i: number) =>
    (
      await db.prisma.unit.create({
        data: { slug: `m/h/${i}`, modelId: model.id, hookPointId: hook.id, kind: "NEURON", index: i },
      })
    ).id;

  const collab = collabLib.createCollabServer({
    prisma: db.prisma,
    debounceMs: 200,
    maxDebounceMs: 1000,
    log: () => {},
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 2_861_740 }); // the API's default WebSocket message limit
  const server = createServer();
  server.on("upgrade", (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) => collab.handleConnection(ws, req)),
  );
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/collab`;
  const origError = console.error;
  console.error = () => {}; // Hocuspocus logs every refused message

  const viewers = (unitId: string, n: number) =>
    Array.from({ length: n }, () => {
      const socket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket, maxAttempts: 1 });
      const provider = new HocuspocusProvider({
        websocketProvider: socket,
        name: unitId,
        document: new Y.Doc(),
        token: "",
      });
      provider.attach();
      const v = { provider, socket, received: 0 };
      socket.on("message", ({ data }: { data: ArrayBuffer }) => {
        v.received += data.byteLength;
      });
      return v;
    });
  // peak RSS while an attack runs, sampled every 20 ms
  let peakRss = 0;
  setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 20).unref();
  const settle = async () => {
    global.gc?.();
    await sleep(1500);
    global.gc?.();
  };
  const rows: Record<string, string | number>[] = [];

  // (1) awareness flood
  if (values.only !== "growth") {
    const unitId = await unit(0);
    const vs = viewers(unitId, 5);
    while (!vs.every((v) => v.provider.isSynced)) await sleep(20);
    let spoofed = false;
    for (const v of vs)
      v.provider.awareness!.on("change", () => {
        spoofed ||= JSON.stringify([...v.provider.awareness!.getStates().values()]).includes("spoofed");
      });
    const frames = [auth(unitId, "")]; // built before measuring: the attacker's buffers are not the server's
    for (let i = 0; i < 40; i++)
      frames.push(
        awareness(unitId, 4242, i + 1, {
          user: { id: "admin", name: "admin (spoofed)", color: "url(http://evil.example/x.png)" },
          junk: "x".repeat(900_000),
        }),
      );
    await settle();
    const rss0 = process.memoryUsage().rss;
    peakRss = rss0;
    const t0 = performance.now();
    await rawSend(url, frames);
    await sleep(1000);
    const peak = Math.max(peakRss, process.memoryUsage().rss);
    const delivered = vs.reduce((s, v) => s + v.received, 0);
    rows.push({
      attack: "awareness flood 40 × 900 KB, 5 viewers",
      delivered_bytes: delivered,
      stored_bytes: "-",
      rss_growth_bytes: peak - rss0,
      spoofed_name_shown: String(spoofed),
      ms: Math.round(performance.now() - t0),
    });
    for (const v of vs) {
      v.provider.destroy();
      v.socket.destroy();
    }
  }
  // (2) document growth
  if (values.only !== "flood") {
    const unitId = await unit(1);
    const vs = viewers(unitId, 1);
    while (!vs.every((v) => v.provider.isSynced)) await sleep(20);
    const updates = Array.from({ length: 30 }, (_, i) => {
      const d = new Y.Doc();
      d.getMap("junk").set(`k${i}`, "j".repeat(900_000));
      return update(unitId, Y.encodeStateAsUpdate(d));
    });
    await settle();
    const rss0 = process.memoryUsage().rss;
    peakRss = rss0;
    const t0 = performance.now();
    for (const u of updates) await rawSend(url, [auth(unitId, token), u]);
    await collab.storeAll();
    const peak = Math.max(peakRss, process.memoryUsage().rss);
    const row = await db.prisma.collabDocument.findUnique({ where: { unitId } });
    rows.push({
      attack: "document growth 30 × 900 KB, 1 viewer",
      delivered_bytes: vs[0]!.received,
      stored_bytes: row?.state.length ?? 0,
      rss_growth_bytes: peak - rss0,
      spoofed_name_shown: "-",
      ms: Math.round(performance.now() - t0),
    });
    for (const v of vs) {
      v.provider.destroy();
      v.socket.destroy();
    }
  }
  console.error = origError;
  console.log(`collab attacks with ${path.relative(process.cwd(), src)}:`);
  for (const r of rows)
    console.log(
      `  ${r.attack}: delivered ${MB(Number(r.delivered_bytes))}, stored ${r.stored_bytes === "-" ? "-" : MB(Number(r.stored_bytes))}, RSS +${MB(Number(r.rss_growth_bytes))}, spoofed name shown: ${r.spoofed_name_shown}, ${r.ms} ms`,
    );
  if (values.json) (await import("node:fs")).writeFileSync(values.json, JSON.stringify({ src, rows }, null, 2));
  await collab.close();
  for (const c of wss.clients) c.terminate();
  server.close();
  await db.close();
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
