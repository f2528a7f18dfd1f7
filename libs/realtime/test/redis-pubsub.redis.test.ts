// RedisPubSub against the machine's Redis: delivery between two instances (two "nodes"), topic isolation,
// unsubscribe on return(), JSON round trip, and the Redis SUBSCRIBE lifecycle (channel released when unused).
import { randomBytes } from "node:crypto";
import Redis from "ioredis";
import { createRedisPubSub, type RedisPubSub } from "../src";
import { redisForTests } from "../src/testing";

jest.setTimeout(30_000);

let url: string | null;
const prefix = `mmatlas-test-${randomBytes(6).toString("hex")}:`;
const open: RedisPubSub<unknown>[] = [];
const make = <T>() => {
  const p = createRedisPubSub<T>({ url: url!, prefix });
  open.push(p as RedisPubSub<unknown>);
  return p;
};

beforeAll(async () => {
  url = await redisForTests("realtime redis pubsub");
});
afterAll(async () => {
  await Promise.all(open.map((p) => p.close()));
});

const maybe = (name: string, fn: () => Promise<void>) =>
  it(name, async () => {
    if (url) await fn();
  });

maybe("delivers a payload published on one instance to a subscriber on another, as JSON", async () => {
  const nodeA = make<{ n: number; at: string; nested: { s: string[] } }>();
  const nodeB = make<{ n: number; at: string; nested: { s: string[] } }>();
  const sub = nodeB.subscribe("unit:1");
  await nodeB.ready();
  const payload = { n: 42, at: new Date(0).toISOString(), nested: { s: ["a", "b"] } };
  await nodeA.publish("unit:1", payload);
  const got = await sub.next();
  expect(got).toEqual({ value: payload, done: false });
  await sub.return!();
});

maybe("keeps topics apart and delivers in publish order", async () => {
  const a = make<number>();
  const b = make<number>();
  const one = b.subscribe("t1");
  const two = b.subscribe("t2");
  await b.ready();
  for (let i = 0; i < 20; i++) await a.publish(i % 2 ? "t2" : "t1", i);
  const ones: number[] = [];
  const twos: number[] = [];
  for (let i = 0; i < 10; i++) {
    ones.push((await one.next()).value);
    twos.push((await two.next()).value);
  }
  expect(ones).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
  expect(twos).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
});

maybe("unsubscribes from Redis when the last local subscriber returns, and ends pending next() calls", async () => {
  const node = make<number>();
  const sub1 = node.subscribe("lifecycle");
  const sub2 = node.subscribe("lifecycle");
  await node.ready();
  const admin = new Redis(url!);
  try {
    const count = async () =>
      Number(((await admin.pubsub("NUMSUB", node.channelFor("lifecycle"))) as [string, string])[1]);
    expect(await count()).toBe(1); // one Redis subscription shared by two local subscribers
    const pending = sub1.next();
    await sub1.return!();
    expect(await pending).toEqual({ value: undefined, done: true });
    await node.ready();
    expect(await count()).toBe(1);
    await sub2.return!();
    await node.ready();
    expect(await count()).toBe(0);
  } finally {
    admin.disconnect();
  }
});

maybe("close() ends every open subscription", async () => {
  const node = createRedisPubSub<number>({ url: url!, prefix });
  const sub = node.subscribe("closing");
  await node.ready();
  const pending = sub.next();
  await node.close();
  expect(await pending).toEqual({ value: undefined, done: true });
  await node.publish("closing", 1); // publishing after close is a no-op, not a crash
});
