// PubSub over Redis PUBLISH/SUBSCRIBE (ioredis): the same contract as the in-memory one in ./pubsub,
// so live events published on one API node reach subscribers on every node. Payloads travel as JSON.
// One connection publishes, one subscribes; a Redis channel is subscribed while a local subscriber needs it.
import { createSubscriberQueue, type PubSub, type SubscriberQueue } from "./pubsub";
import Redis from "ioredis";

export interface RedisPubSubOptions {
  /** redis://host:port/db */
  url: string;
  /** prepended to every topic to form the Redis channel (isolates deployments and tests); "mmatlas:" by default */
  prefix?: string;
  /** called when a received message cannot be parsed or a connection reports an error */
  onError?: (message: string, error: unknown) => void;
}

export interface RedisPubSub<T> extends PubSub<T> {
  /** resolves when the Redis SUBSCRIBE for every topic subscribed so far has been acknowledged */
  ready(): Promise<void>;
  /** the Redis channel a topic maps to */
  channelFor(topic: string): string;
}

export function createRedisPubSub<T>(opts: RedisPubSubOptions): RedisPubSub<T> {
  const prefix = opts.prefix ?? "mmatlas:";
  const onError = opts.onError ?? ((m, e) => console.error(`redis pubsub: ${m}`, e));
  const publisher = new Redis(opts.url, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const subscriber = new Redis(opts.url, { lazyConnect: false });
  publisher.on("error", (e) => onError("publisher connection error", e));
  subscriber.on("error", (e) => onError("subscriber connection error", e));

  const listeners = new Map<string, Set<(payload: T) => void>>(); // by channel
  const closers = new Set<() => void>();
  let pending: Promise<unknown> = Promise.resolve();
  let closed = false;

  subscriber.on("message", (channel: string, message: string) => {
    const set = listeners.get(channel);
    if (!set?.size) return;
    let payload: T;
    try {
      payload = JSON.parse(message) as T;
    } catch (e) {
      onError(`unparsable message on ${channel}`, e);
      return;
    }
    for (const push of set) push(payload);
  });

  const channelFor = (topic: string) => `${prefix}${topic}`;
  const track = (p: Promise<unknown>) => {
    pending = Promise.all([pending, p.catch((e) => onError("subscribe/unsubscribe failed", e))]);
  };

  return {
    channelFor,
    ready: async () => {
      await pending;
    },
    async publish(topic, payload) {
      if (closed) return;
      await publisher.publish(channelFor(topic), JSON.stringify(payload));
    },
    subscribe(topic) {
      const channel = channelFor(topic);
      const sub: SubscriberQueue<T> = createSubscriberQueue<T>(() => {
        closers.delete(sub.finish);
        const set = listeners.get(channel);
        set?.delete(sub.push);
        if (set && set.size === 0) {
          listeners.delete(channel);
          if (!closed) track(subscriber.unsubscribe(channel));
        }
      }, closed);
      if (!closed) {
        let set = listeners.get(channel);
        if (!set) {
          set = new Set();
          listeners.set(channel, set);
          track(subscriber.subscribe(channel));
        }
        set.add(sub.push);
        closers.add(sub.finish);
      }
      return sub.iterator;
    },
    async close() {
      if (closed) return;
      for (const finish of [...closers]) finish();
      closed = true;
      await pending;
      await Promise.all([
        publisher.quit().catch(() => publisher.disconnect()),
        subscriber.quit().catch(() => subscriber.disconnect()),
      ]);
    },
  };
}
