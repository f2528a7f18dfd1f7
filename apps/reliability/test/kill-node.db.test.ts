// Crash safety of co-labeling: 50 editors type into one unit on an API node process; the node is killed with
// SIGKILL mid-typing and restarted on the same port; editors reconnect and resync. Every edit an editor saw
// acknowledged by the server (provider synced, unsyncedChanges == 0) must be in the document the restarted
// node stores in PostgreSQL (after the editors resync), and all editors must converge.
import { annotationFields, readSnapshot } from "@mmatlas/collab";
import type { TestDatabase } from "@mmatlas/db";
import * as Y from "yjs";
import { clusterEngines, connectEditor, seedCoEditing, startApiNode, waitFor, type ApiNode, type Editor } from "./cluster-fixture";
import { seededRandom } from "./seeded-random";

jest.setTimeout(240_000);

const EDITORS = 50;
let db: TestDatabase | undefined;
let node: ApiNode | undefined;
const editors: Editor[] = [];

afterAll(async () => {
  for (const e of editors) e.destroy();
  await node?.stop();
  await db?.close();
});

it("keeps every acknowledged edit when a node is killed with SIGKILL while 50 editors type", async () => {
  const engines = await clusterEngines("kill -9 an API node");
  if (!engines) return;
  db = engines.db;
  const { tokens, unitId } = await seedCoEditing(db, ["alice", "bob"]);
  const env = { DATABASE_URL: db.url!, REDIS_URL: engines.redisUrl };
  node = await startApiNode(env);
  const port = node.port;
  for (let i = 0; i < EDITORS; i++) editors.push(connectEditor(node.collabUrl, unitId, i % 2 ? tokens.bob : tokens.alice));
  await waitFor(() => editors.every((e) => e.synced()), "50 editors synced", 60_000);

  // typing: every editor appends unique tokens; an edit is "acknowledged" once its editor is fully synced after it
  const pending = editors.map(() => [] as string[]);
  const acknowledged = new Set<string>();
  const typed = new Set<string>();
  const r = seededRandom(42);
  let typing = true;
  const ackTimer = setInterval(() => editors.forEach((e, i) => { if (e.synced()) for (const t of pending[i].splice(0)) acknowledged.add(t); }), 5);
  const typists = editors.map(async (e, i) => {
    for (let n = 0; typing; n++) {
      const token = `<${i}.${n}>`;
      const text = annotationFields(e.doc).description;
      text.insert(r.chance(0.5) ? text.length : 0, token); // at either end: tokens stay contiguous
      pending[i].push(token);
      typed.add(token);
      await new Promise((res) => setTimeout(res, 20 + r.int(40)));
    }
  });
  await waitFor(() => acknowledged.size >= 200, "200 acknowledged edits before the crash", 60_000);
  await node.kill9();
  const ackedBeforeCrash = new Set(acknowledged);
  await new Promise((res) => setTimeout(res, 300)); // editors keep typing offline
  typing = false;
  await Promise.all(typists);

  node = await startApiNode(env, port);
  await waitFor(() => editors.every((e) => e.synced()), "all editors resynced after the restart", 90_000);
  clearInterval(ackTimer);
  editors.forEach((e, i) => { if (e.synced()) for (const t of pending[i].splice(0)) acknowledged.add(t); });

  // all editors converge on one document holding every edit typed (acknowledged before the crash or resent after)
  await waitFor(() => {
    const texts = new Set(editors.map((e) => readSnapshot(e.doc).description));
    return texts.size === 1 && editors.every((e) => e.synced());
  }, "all editors converge after the restart", 60_000);
  const first = readSnapshot(editors[0].doc).description;
  for (const t of typed) expect(first).toContain(t);

  // what the restarted node stores in PostgreSQL (its debounced store): every acknowledged edit, and then
  // exactly the converged text
  const storedText = async () => {
    const row = await db!.prisma.collabDocument.findUnique({ where: { unitId } });
    if (!row) return null;
    const stored = new Y.Doc();
    Y.applyUpdate(stored, new Uint8Array(row.state));
    return readSnapshot(stored).description;
  };
  await waitFor(async () => (await storedText()) === first, "the restarted node stores the converged document", 60_000);
  const text = (await storedText())!;
  const missing = [...ackedBeforeCrash].filter((t) => !text.includes(t));
  expect(ackedBeforeCrash.size).toBeGreaterThanOrEqual(200);
  expect(missing).toEqual([]);
  expect(text).toBe(first);
});
