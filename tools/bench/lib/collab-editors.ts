// Child process of `npm run bench:collab`: a group of editors (HocuspocusProviders, one socket each) on one
// unit document, driven over stdin/stdout JSON lines, so that the editors of a benchmark are spread over
// several processes (as separate browsers are) instead of queueing behind each other in one event loop.
//   env: COLLAB_URL, UNIT, TOKENS (JSON array), EDITORS (count), FIRST (global index of the first editor)
//   in:  {"type":"edit","seq":n,"local":i}  → editor i writes seq n; out: {"type":"sent","seq":n,"t":ms}
//        {"type":"report"}                  → out: {"type":"arrivals","data":[[seq, ms], ...]}, then exits
//   out: {"type":"ready"} once every editor is synced. Times are epoch ms (performance.timeOrigin + now()).
import readline from "node:readline";
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import { annotationFields } from "@mmatlas/collab";
import WebSocket from "ws";
import * as Y from "yjs";

const now = () => performance.timeOrigin + performance.now();
const send = (msg: unknown) => process.stdout.write(`${JSON.stringify(msg)}\n`);

const url = process.env.COLLAB_URL!, unit = process.env.UNIT!;
const tokens = JSON.parse(process.env.TOKENS!) as string[];
const count = Number(process.env.EDITORS), first = Number(process.env.FIRST ?? 0);

const arrivals: [number, number][] = [];
const editors = Array.from({ length: count }, (_, i) => {
  const doc = new Y.Doc();
  const socket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket });
  const provider = new HocuspocusProvider({ websocketProvider: socket, name: unit, document: doc, token: tokens[(first + i) % tokens.length] });
  provider.attach();
  const bench = doc.getMap("bench");
  bench.observe((ev) => { if (!ev.transaction.local) arrivals.push([bench.get("seq") as number, now()]); });
  return { doc, socket, provider };
});

const ready = setInterval(() => {
  if (editors.every((e) => e.provider.isSynced)) { clearInterval(ready); send({ type: "ready" }); }
}, 20);

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const msg = JSON.parse(line) as { type: string; seq?: number; local?: number };
  if (msg.type === "edit") {
    const e = editors[msg.local!];
    const t = now();
    e.doc.transact(() => {
      e.doc.getMap("bench").set("seq", msg.seq!);
      const d = annotationFields(e.doc).description;
      d.insert(d.length, `${msg.seq} `);
    });
    send({ type: "sent", seq: msg.seq, t });
  } else if (msg.type === "report") {
    send({ type: "arrivals", data: arrivals });
    for (const e of editors) { e.provider.destroy(); e.socket.destroy(); }
    setTimeout(() => process.exit(0), 100);
  }
});
