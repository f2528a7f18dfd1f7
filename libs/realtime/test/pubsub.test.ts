// The in-process PubSub: topic isolation, ordering, buffering, unsubscribe and close.
import { createInMemoryPubSub } from "../src";

it("delivers payloads in order to each subscriber of a topic only", async () => {
  const ps = createInMemoryPubSub<number>();
  const a = ps.subscribe("t1");
  const b = ps.subscribe("t1");
  const other = ps.subscribe("t2");
  await ps.publish("t1", 1);
  await ps.publish("t1", 2);
  await ps.publish("t2", 9);
  expect([(await a.next()).value, (await a.next()).value]).toEqual([1, 2]);
  expect((await b.next()).value).toBe(1);
  expect((await other.next()).value).toBe(9);
  await ps.close();
});

it("resolves a waiting next() on publish and ends after return()", async () => {
  const ps = createInMemoryPubSub<string>();
  const it1 = ps.subscribe("t");
  const pending = it1.next();
  await ps.publish("t", "hello");
  expect(await pending).toEqual({ value: "hello", done: false });
  await it1.return!();
  await ps.publish("t", "ignored");
  expect(await it1.next()).toEqual({ value: undefined, done: true });
});

it("ends every subscription on close()", async () => {
  const ps = createInMemoryPubSub<string>();
  const s = ps.subscribe("t");
  const pending = s.next();
  await ps.close();
  expect(await pending).toEqual({ value: undefined, done: true });
});
