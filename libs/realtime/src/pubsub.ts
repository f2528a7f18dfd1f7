// A minimal publish/subscribe contract for live updates, with an in-process implementation. A Redis-backed
// one (ioredis PUBLISH/SUBSCRIBE) can replace it without touching callers: same interface, JSON payloads.

export interface PubSub<T> {
  publish(topic: string, payload: T): Promise<void>;
  /** an async iterator of the payloads published on `topic` from now on; call return() to unsubscribe */
  subscribe(topic: string): AsyncIterableIterator<T>;
  close(): Promise<void>;
}

/** One subscriber's end of a topic: `push` delivers a payload (to a waiting next() or the unbounded queue),
 *  `finish` ends the iterator once (then calls `onFinish`, e.g. to unregister `push`), `iterator` is handed out.
 *  Shared by the in-memory PubSub and the Redis one (./redis-pubsub). */
export interface SubscriberQueue<T> {
  push(payload: T): void;
  finish(): void;
  iterator: AsyncIterableIterator<T>;
}

export function createSubscriberQueue<T>(onFinish: () => void, startFinished = false): SubscriberQueue<T> {
  const queue: T[] = [];
  const waiting: ((r: IteratorResult<T>) => void)[] = [];
  let done = startFinished;
  const push = (payload: T) => {
    const next = waiting.shift();
    if (next) next({ value: payload, done: false });
    else queue.push(payload);
  };
  const finish = () => {
    if (done) return;
    done = true;
    onFinish();
    for (const w of waiting.splice(0)) w({ value: undefined, done: true });
  };
  const iterator: AsyncIterableIterator<T> = {
    next: () => {
      if (queue.length) return Promise.resolve({ value: queue.shift()!, done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => waiting.push(resolve));
    },
    return: () => {
      finish();
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return { push, finish, iterator };
}

/** In-memory PubSub for one process. Each subscriber has its own unbounded queue. */
export function createInMemoryPubSub<T>(): PubSub<T> {
  const subscribers = new Map<string, Set<(payload: T) => void>>();
  const closers = new Set<() => void>();
  return {
    async publish(topic, payload) {
      for (const push of subscribers.get(topic) ?? []) push(payload);
    },
    subscribe(topic) {
      const sub: SubscriberQueue<T> = createSubscriberQueue<T>(() => {
        subscribers.get(topic)?.delete(sub.push);
        closers.delete(sub.finish);
      });
      if (!subscribers.has(topic)) subscribers.set(topic, new Set());
      subscribers.get(topic)!.add(sub.push);
      closers.add(sub.finish);
      return sub.iterator;
    },
    async close() {
      for (const finish of [...closers]) finish();
    },
  };
}
