// Two API nodes sharing one database and Redis (RedisPubSub from @mmatlas/realtime): a mutation sent to
// node A reaches an annotationChanged subscriber connected to node B; drafts still stay private across nodes.
import { randomBytes } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import type { AnnotationChangedEvent } from "@mmatlas/labeling";
import { createRedisPubSub, type RedisPubSub } from "@mmatlas/realtime";
import { redisForTests } from "@mmatlas/realtime/testing";
import { startApiServer, type ApiServer } from "../src/server";
import { collect, gql, wsClient } from "./client";
import { seedAtlas, type FixtureAtlas } from "./fixture-atlas";

jest.setTimeout(120_000);

let redisUrl: string | null;
let db: TestDatabase;
let nodeA: ApiServer;
let nodeB: ApiServer;
let pubsubB: RedisPubSub<AnnotationChangedEvent>;
let atlas: FixtureAtlas;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  redisUrl = await redisForTests("api cross-node subscriptions");
  if (!redisUrl) return;
  const prefix = `mmatlas-test-${randomBytes(6).toString("hex")}:`;
  db = await createTestDatabase();
  const pubsubA = createRedisPubSub<AnnotationChangedEvent>({ url: redisUrl, prefix });
  pubsubB = createRedisPubSub<AnnotationChangedEvent>({ url: redisUrl, prefix });
  nodeA = await startApiServer({ port: 0, prisma: db.prisma, pubsub: pubsubA });
  nodeB = await startApiServer({ port: 0, prisma: db.prisma, pubsub: pubsubB });
  expect(nodeA.port).not.toBe(nodeB.port);
  atlas = await seedAtlas(db.prisma, 2);
  for (const name of ["alice", "bob"]) {
    const reg = await gql(nodeA.url, `mutation($i: RegisterInput!) { register(input: $i) { id } }`, {
      i: { email: `${name}@example.org`, password: "correct horse battery", displayName: name },
    });
    expect(reg.errors).toBeUndefined();
    const login = await gql(nodeB.url, `mutation($i: LoginInput!) { login(input: $i) { token } }`, {
      i: { email: `${name}@example.org`, password: "correct horse battery" },
    });
    tokens[name] = login.data.login.token;
  }
});

afterAll(async () => {
  await nodeA?.close();
  await nodeB?.close();
  await db?.close();
});

const SUB = `subscription($u: ID!) { annotationChanged(unitId: $u) { kind unitId actor { displayName } annotation { label status } } }`;
const CREATE = `mutation($i: CreateAnnotationInput!) { createAnnotation(input: $i) { id } }`;

/** Waits until node B's Redis SUBSCRIBE for the unit's topic is acknowledged (the subscription is live). */
async function subscribedOnB(unitId: string) {
  for (let i = 0; i < 100; i++) {
    await pubsubB.ready();
    const Redis = (await import("ioredis")).default;
    const admin = new Redis(redisUrl!);
    const [, n] = (await admin.pubsub("NUMSUB", pubsubB.channelFor(`annotationChanged:${unitId}`))) as [string, string];
    admin.disconnect();
    if (Number(n) > 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("node B never subscribed");
}

it("delivers a mutation made on node A to a subscriber on node B", async () => {
  if (!redisUrl) return;
  const unitId = atlas.unitIds[0];
  const client = wsClient(nodeB.wsUrl, tokens.bob);
  try {
    const sub = collect(client, SUB, { u: unitId });
    await subscribedOnB(unitId);
    const created = await gql(
      nodeA.url,
      CREATE,
      { i: { unitId, label: "red things", status: "PROPOSED" } },
      tokens.alice,
    );
    expect(created.errors).toBeUndefined();
    const event = await sub.next();
    expect(event.data.annotationChanged).toEqual({
      kind: "CREATED",
      unitId,
      actor: { displayName: "alice" },
      annotation: { label: "red things", status: "PROPOSED" },
    });
    sub.unsubscribe();
  } finally {
    await client.dispose();
  }
});

it("does not deliver another user's draft across nodes, but delivers the next public change", async () => {
  if (!redisUrl) return;
  const unitId = atlas.unitIds[1];
  const client = wsClient(nodeB.wsUrl, tokens.bob);
  try {
    const sub = collect(client, SUB, { u: unitId });
    await subscribedOnB(unitId);
    expect(
      (await gql(nodeA.url, CREATE, { i: { unitId, label: "secret draft", status: "DRAFT" } }, tokens.alice)).errors,
    ).toBeUndefined();
    expect(
      (await gql(nodeA.url, CREATE, { i: { unitId, label: "public proposal", status: "PROPOSED" } }, tokens.alice))
        .errors,
    ).toBeUndefined();
    const event = await sub.next();
    expect(event.data.annotationChanged.annotation).toEqual({ label: "public proposal", status: "PROPOSED" });
    sub.unsubscribe();
  } finally {
    await client.dispose();
  }
});
