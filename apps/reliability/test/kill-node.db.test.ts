// Crash safety of co-labeling: 50 editors type into one unit on an API node process; the node is killed with
// SIGKILL mid-typing and restarted on the same port; editors reconnect and resync. Every edit an editor saw
// acknowledged by the server (provider synced, unsyncedChanges == 0) must be in the document the restarted
// node stores in PostgreSQL (after the editors resync), and all editors must converge.
// Second case: editors never resend after the restart; the unit has a label, and editors push the label and
// description past their limits. Every edit the server reported saved (its "saved" message covered it and the
// editor's text held it) must be in the reloaded document, uncut: loading must not write the Annotation
// row's cut copy over the document, and the limits are enforced by trimming only new insertions.
import { parseSavedMessage } from "@mmatlas/collab";
import { annotationFields, FIELD_MAX, readSnapshot } from "@mmatlas/collab/doc";
import type { TestDatabase } from "@mmatlas/db/testing";
import * as Y from "yjs";
import {
  clusterEngines,
  connectEditor,
  seedCoEditing,
  startApiNode,
  waitFor,
  type ApiNode,
  type Editor,
} from "./cluster-fixture";
import { seededRandom } from "./seeded-random";

jest.setTimeout(240_000);

const EDITORS = 50;
let db: TestDatabase | undefined;
let node: ApiNode | undefined;
const editors: Editor[] = [];
let node2: ApiNode | undefined;
let db2: TestDatabase | undefined;

afterAll(async () => {
  for (const e of editors) e.destroy();
  await node?.stop();
  await node2?.stop();
  await db2?.close();
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
  for (let i = 0; i < EDITORS; i++)
    editors.push(connectEditor(node.collabUrl, unitId, i % 2 ? tokens.bob : tokens.alice));
  await waitFor(() => editors.every((e) => e.synced()), "50 editors synced", 60_000);

  // typing: every editor appends unique tokens; an edit is "acknowledged" once its editor is fully synced after it
  const pending = editors.map(() => [] as string[]);
  const acknowledged = new Set<string>();
  const typed = new Set<string>();
  const r = seededRandom(42);
  let typing = true;
  const ackTimer = setInterval(
    () =>
      editors.forEach((e, i) => {
        if (e.synced()) for (const t of pending[i].splice(0)) acknowledged.add(t);
      }),
    5,
  );
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
  editors.forEach((e, i) => {
    if (e.synced()) for (const t of pending[i].splice(0)) acknowledged.add(t);
  });

  // all editors converge on one document holding every edit typed (acknowledged before the crash or resent after)
  await waitFor(
    () => {
      const texts = new Set(editors.map((e) => readSnapshot(e.doc).description));
      return texts.size === 1 && editors.every((e) => e.synced());
    },
    "all editors converge after the restart",
    60_000,
  );
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

it("keeps every edit reported saved, uncut, when a node is killed and editors never resend", async () => {
  const engines = await clusterEngines("kill -9 without resend");
  if (!engines) return;
  db2 = engines.db;
  const { tokens, unitId } = await seedCoEditing(engines.db, ["carol", "dave"]);
  const env = { DATABASE_URL: engines.db.url!, REDIS_URL: engines.redisUrl };
  node2 = await startApiNode(env);
  const port = node2.port;
  const typists: Editor[] = [];
  for (let i = 0; i < 20; i++) typists.push(connectEditor(node2.collabUrl, unitId, i % 2 ? tokens.dave : tokens.carol));
  editors.push(...typists);
  await waitFor(() => typists.every((e) => e.synced()), "20 editors synced", 60_000);

  // "saved": the server's saved message covers the editor's insert and the editor's text holds it then
  type Field = "label" | "description";
  const pending = typists.map(() => [] as { field: Field; token: string; clock: number }[]);
  const saved = new Set<string>();
  typists.forEach((e, i) =>
    e.provider.on("stateless", ({ payload }: { payload: string }) => {
      const vector = parseSavedMessage(payload);
      if (!vector) return;
      const text = readSnapshot(e.doc);
      pending[i] = pending[i].filter((p) => {
        if ((vector.get(e.doc.clientID) ?? 0) < p.clock) return true;
        if (text[p.field].includes(p.token)) saved.add(`${p.field}:${p.token}`);
        return false;
      });
    }),
  );
  const type = (i: number, field: Field, token: string) => {
    const e = typists[i];
    const text = annotationFields(e.doc)[field];
    text.insert(token.length % 2 ? text.length : 0, token);
    pending[i].push({ field, token, clock: Y.getState(e.doc.store, e.doc.clientID) });
  };
  type(0, "label", "striped texture");
  await waitFor(() => saved.has("label:striped texture"), "the label is saved", 30_000);
  await waitFor(
    async () => (await engines.db.prisma.collabDocument.findUnique({ where: { unitId } }))?.annotationId != null,
    "the label is projected",
    30_000,
  );

  const r = seededRandom(7);
  let typing = true;
  let labelTyped = 0,
    descriptionTyped = 0;
  const loops = typists.map(async (_e, i) => {
    for (let n = 0; typing; n++) {
      // a typist waits while 20 of its edits are not reported saved yet: a loaded machine slows typing down
      // instead of piling up a backlog that the node (and this process) can never catch up with
      if (pending[i].length >= 20) {
        await new Promise((res) => setTimeout(res, 25));
        continue;
      }
      const field: Field = i < 4 ? "label" : "description";
      const token = `<${i}.${n}${"~".repeat(r.int(30))}>`;
      type(i, field, token);
      if (field === "label") labelTyped += token.length;
      else descriptionTyped += token.length;
      await new Promise((res) => setTimeout(res, 10 + r.int(30)));
    }
  });
  const node = node2;
  await waitFor(
    () =>
      labelTyped > 2 * FIELD_MAX.label &&
      descriptionTyped > 2 * FIELD_MAX.description &&
      [...saved].filter((t) => t.startsWith("description:")).length >= 100 &&
      [...saved].filter((t) => t.startsWith("label:<")).length >= 3,
    () =>
      `text over both limits typed, and saved edits in both fields (typed: label ${labelTyped}, description ` +
      `${descriptionTyped} chars; saved: ${[...saved].filter((t) => t.startsWith("label:<")).length} label, ` +
      `${[...saved].filter((t) => t.startsWith("description:")).length} description tokens; still pending: ` +
      `${pending.reduce((n, p) => n + p.length, 0)}); the API node printed:\n${node.output().slice(-3000)}`,
    120_000,
  );
  await node2.kill9();
  typing = false;
  await Promise.all(loops);
  const savedBeforeCrash = [...saved];
  for (const e of typists) e.destroy(); // nobody resends

  node2 = await startApiNode(env, port);
  const reader = connectEditor(node2.collabUrl, unitId, "");
  editors.push(reader);
  await waitFor(() => reader.provider.isSynced, "a fresh reader synced after the restart", 60_000);
  const reloaded = readSnapshot(reader.doc);
  const lost = savedBeforeCrash.filter((t) => {
    const [field, ...rest] = t.split(":");
    return !reloaded[field as Field].includes(rest.join(":"));
  });
  expect(savedBeforeCrash.length).toBeGreaterThanOrEqual(100);
  expect(lost).toEqual([]);
  expect(reloaded.label).toContain("striped texture");
  expect(reloaded.label.length).toBeLessThanOrEqual(FIELD_MAX.label);
  expect(reloaded.description.length).toBeLessThanOrEqual(FIELD_MAX.description);
  // and what PostgreSQL holds is that document
  await waitFor(
    async () => {
      const row = await engines.db.prisma.collabDocument.findUnique({ where: { unitId } });
      const stored = new Y.Doc();
      Y.applyUpdate(stored, new Uint8Array(row!.state));
      const s = readSnapshot(stored);
      return s.label === reloaded.label && s.description === reloaded.description;
    },
    "the stored document is the reloaded one",
    30_000,
  );
});
