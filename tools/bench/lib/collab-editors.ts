// Child process of `npm run bench:collab`: a group of editors (HocuspocusProviders, one socket each) on one
// unit document, driven over stdin/stdout JSON lines, so that the editors of a benchmark are spread over
// several processes (as separate browsers are) instead of queueing behind each other in one event loop.
//   env: COLLAB_URL, UNIT, TOKENS (JSON array), EDITORS (count), FIRST (global index of the first editor)
//   in:  {"type":"edit","seq":n,"local":i}  → editor i writes seq n; out: {"type":"sent","seq":n,"t":ms}
//        {"type":"report"}                  → out: {"type":"arrivals","data":[[seq, received, applied], ...],"cpuMs":n}
//                                              (this process's CPU time since ready), then exits
//   out: {"type":"ready"} once every editor is synced. Times are epoch ms (performance.timeOrigin + now()).
// Each incoming message is time-stamped when its socket delivers it; the providers handle the stamped messages
// (apply them to their Y.Docs) once no message has arrived for QUIET_MS, i.e. after the server's fan-out to this
// process, or once the oldest has waited MAX_HOLD_MS. So "received" is when the change reached that editor's
// socket, as it would reach a browser of its own, not held up by the Yjs work of the other simulated editors
// sharing this event loop; "applied" is when it was in the editor's Y.Doc, and does include that wait.
import readline from "node:readline";
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import { annotationFields } from "@mmatlas/collab/doc";
import WebSocket from "ws";
import * as Y from "yjs";

const now = () => performance.timeOrigin + performance.now();
const send = (msg: unknown) => process.stdout.write(`${JSON.stringify(msg)}\n`);

const url = process.env.COLLAB_URL!,
  unit = process.env.UNIT!;
const tokens = JSON.parse(process.env.TOKENS!) as string[];
const count = Number(process.env.EDITORS),
  first = Number(process.env.FIRST ?? 0);

const arrivals: [number, number, number][] = [];
/** Receipt time of the message a provider is handling right now (observers run synchronously inside it). */
let handlingReceivedAt = 0;
let cpuAtReady: NodeJS.CpuUsage | undefined;
const QUIET_MS = 1,
  MAX_HOLD_MS = 20;
const stamped: { receivedAt: number; deliver: () => void }[] = [];
let drainTimer: NodeJS.Timeout | undefined;
function drain() {
  drainTimer = undefined;
  for (const m of stamped.splice(0)) {
    handlingReceivedAt = m.receivedAt;
    m.deliver();
  }
}
function hold(receivedAt: number, deliver: () => void) {
  stamped.push({ receivedAt, deliver });
  if (drainTimer) clearTimeout(drainTimer);
  drainTimer = setTimeout(drain, receivedAt - stamped[0].receivedAt >= MAX_HOLD_MS ? 0 : QUIET_MS);
}

/** ws client whose "message" listeners get each message after the burst it came in, with its receipt time noted. */
class StampingWebSocket extends WebSocket {
  override addEventListener(...args: Parameters<WebSocket["addEventListener"]>): void {
    const [type, listener, options] = args as unknown as [
      string,
      (event: WebSocket.MessageEvent) => void,
      WebSocket.EventListenerOptions | undefined,
    ];
    if (type !== "message") return super.addEventListener(...args);
    super.addEventListener("message", (event) => hold(now(), () => listener(event)), options);
  }
}
const editors = Array.from({ length: count }, (_, i) => {
  const doc = new Y.Doc();
  const socket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: StampingWebSocket });
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name: unit,
    document: doc,
    token: tokens[(first + i) % tokens.length],
  });
  provider.attach();
  const bench = doc.getMap("bench");
  bench.observe((ev) => {
    if (!ev.transaction.local) arrivals.push([bench.get("seq") as number, handlingReceivedAt, now()]);
  });
  return { doc, socket, provider };
});

const ready = setInterval(() => {
  if (editors.every((e) => e.provider.isSynced)) {
    clearInterval(ready);
    cpuAtReady = process.cpuUsage();
    send({ type: "ready" });
  }
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
    const cpu = process.cpuUsage(cpuAtReady);
    send({ type: "arrivals", data: arrivals, cpuMs: (cpu.user + cpu.system) / 1000 });
    for (const e of editors) {
      e.provider.destroy();
      e.socket.destroy();
    }
    setTimeout(() => process.exit(0), 100);
  }
});
