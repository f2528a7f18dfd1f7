// Two collaboration servers ("API nodes") sharing one database and the machine's Redis
// (@hocuspocus/extension-redis, unique key prefix): a client on node A and one on node B edit the same
// unit and converge, and presence crosses nodes. Skipped with a warning when Redis is unreachable and CI is unset.
import { randomBytes } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { redisForTests } from "@mmatlas/realtime/testing";
import { annotationFields, applyTextDiff, readSnapshot } from "../src/doc";
import { connect, seed, startCollab, synced, waitFor, type Client, type RunningCollab } from "./collab-fixture";

jest.setTimeout(120_000);

let url: string | null;
let db: TestDatabase;
const servers: RunningCollab[] = [];
const clients: Client[] = [];

beforeAll(async () => {
  url = await redisForTests("collab redis fan-out");
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const s of servers.splice(0)) await s.close();
  await db?.close();
});

it("fans document and awareness updates out between two nodes", async () => {
  if (!url) return;
  db = await createTestDatabase();
  const fx = await seed(db);
  const prefix = `mmatlas-test-collab-${randomBytes(6).toString("hex")}`;
  const nodeA = await startCollab({ prisma: db.prisma, redis: { url, prefix } });
  const nodeB = await startCollab({ prisma: db.prisma, redis: { url, prefix } });
  servers.push(nodeA, nodeB);
  const a = connect(nodeA.url, fx.unitId, fx.alice.token);
  const b = connect(nodeB.url, fx.unitId, fx.bob.token);
  clients.push(a, b);
  await synced(a);
  await synced(b);

  applyTextDiff(annotationFields(a.doc).label, "spirals");
  applyTextDiff(annotationFields(b.doc).description, "curved edges");
  await waitFor(
    () => readSnapshot(b.doc).label === "spirals" && readSnapshot(a.doc).description === "curved edges",
    "cross-node convergence",
  );

  a.provider.setAwarenessField("user", { id: fx.alice.actor.userId, name: "alice", color: "#000" });
  await waitFor(
    () => [...b.provider.awareness!.getStates().values()].some((s) => s.user?.name === "alice"),
    "presence across nodes",
  );
});
