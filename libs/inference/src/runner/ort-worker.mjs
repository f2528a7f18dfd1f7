// Worker thread that owns onnxruntime-node sessions for worker-session.ts: serves "create", "run" and "release"
// messages, so that session.run (a synchronous native call in onnxruntime-node) blocks this thread, not the main
// one. Plain ESM JavaScript so it loads under node, tsx and jest alike without a TypeScript loader.
// Messages in:  { id, op: "create", sessionId, model: Uint8Array | file path, options }
//               { id, op: "run", sessionId, feeds: { name: { type, dims, data } }, fetchNames }
//               { id, op: "release", sessionId }
// Replies:      { id, result } or { id, error: { message } }; run results' output buffers are transferred.
import { parentPort } from "node:worker_threads";
import * as ort from "onnxruntime-node";

const sessions = new Map();

function sessionOf(sessionId) {
  const session = sessions.get(sessionId);
  if (!session) throw new Error(`onnxruntime worker: no session ${sessionId}`);
  return session;
}

async function serve(msg) {
  if (msg.op === "create") {
    sessions.set(msg.sessionId, await ort.InferenceSession.create(msg.model, msg.options));
    return { result: null, transfer: [] };
  }
  if (msg.op === "run") {
    const feeds = {};
    for (const [name, t] of Object.entries(msg.feeds)) feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
    const out = await sessionOf(msg.sessionId).run(feeds, msg.fetchNames);
    const result = {};
    const buffers = new Set();
    for (const [name, t] of Object.entries(out)) {
      result[name] = { type: t.type, dims: [...t.dims], data: t.data };
      if (t.data && t.data.buffer instanceof ArrayBuffer) buffers.add(t.data.buffer);
    }
    return { result, transfer: [...buffers] };
  }
  if (msg.op === "release") {
    const session = sessions.get(msg.sessionId);
    sessions.delete(msg.sessionId);
    if (session) await session.release();
    return { result: null, transfer: [] };
  }
  throw new Error(`onnxruntime worker: unknown op ${String(msg.op)}`);
}

parentPort.on("message", (msg) => {
  serve(msg).then(
    ({ result, transfer }) => {
      try {
        parentPort.postMessage({ id: msg.id, result }, transfer);
      } catch {
        parentPort.postMessage({ id: msg.id, result }); // a buffer that cannot be transferred is copied instead
      }
    },
    (e) => parentPort.postMessage({ id: msg.id, error: { message: e instanceof Error ? e.message : String(e) } }),
  );
});
