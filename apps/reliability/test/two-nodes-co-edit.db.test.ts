// Two users connected to two different API node processes (shared PostgreSQL, Hocuspocus fan-out through
// Redis) co-edit one unit's annotation at the same time and converge to the same document with both edits.
import type { TestDatabase } from "@mmatlas/db/testing";
import { annotationFields, readSnapshot } from "@mmatlas/collab/doc";
import {
  clusterEngines,
  connectEditor,
  seedCoEditing,
  startApiNode,
  waitFor,
  type ApiNode,
  type Editor,
} from "./cluster-fixture";

jest.setTimeout(180_000);

let db: TestDatabase | undefined;
const nodes: ApiNode[] = [];
const editors: Editor[] = [];

afterAll(async () => {
  for (const e of editors) e.destroy();
  await Promise.all(nodes.map((n) => n.stop()));
  await db?.close();
});

it("converges when alice (node A) and bob (node B) type into the same unit concurrently", async () => {
  const engines = await clusterEngines("two-node co-editing");
  if (!engines) return;
  db = engines.db;
  const { tokens, unitId } = await seedCoEditing(db, ["alice", "bob"]);
  const env = { DATABASE_URL: db.url!, REDIS_URL: engines.redisUrl };
  const [a, b] = await Promise.all([startApiNode(env), startApiNode(env)]);
  nodes.push(a, b);
  expect(a.port).not.toBe(b.port);
  const alice = connectEditor(a.collabUrl, unitId, tokens.alice);
  const bob = connectEditor(b.collabUrl, unitId, tokens.bob);
  editors.push(alice, bob);
  await waitFor(() => alice.synced() && bob.synced(), "both editors synced");

  // concurrent typing: each inserts words at the end of its own local copy, interleaved in time
  const aliceWords = Array.from({ length: 20 }, (_, i) => `a${i} `);
  const bobWords = Array.from({ length: 20 }, (_, i) => `b${i} `);
  for (let i = 0; i < 20; i++) {
    const at = annotationFields(alice.doc).description;
    at.insert(at.length, aliceWords[i]);
    const bt = annotationFields(bob.doc).description;
    bt.insert(bt.length, bobWords[i]);
    if (i % 5 === 0) annotationFields(alice.doc).label.insert(0, "L");
    await new Promise((r) => setTimeout(r, 10));
  }
  await waitFor(
    () => {
      const x = readSnapshot(alice.doc);
      const y = readSnapshot(bob.doc);
      return JSON.stringify(x) === JSON.stringify(y) && alice.synced() && bob.synced();
    },
    "alice's and bob's documents converge",
    60_000,
  );
  const final = readSnapshot(alice.doc).description;
  for (const w of [...aliceWords, ...bobWords]) expect(final).toContain(w);
  expect(readSnapshot(bob.doc).label).toBe("LLLL");
  // each user's own words keep their order
  const order = (words: string[]) => words.map((w) => final.indexOf(w));
  expect(order(aliceWords)).toEqual([...order(aliceWords)].sort((p, q) => p - q));
  expect(order(bobWords)).toEqual([...order(bobWords)].sort((p, q) => p - q));
});
