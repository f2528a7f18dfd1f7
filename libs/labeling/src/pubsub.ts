// A minimal publish/subscribe contract for live updates, with an in-process implementation. A Redis-backed
// one (ioredis PUBLISH/SUBSCRIBE) can replace it without touching callers: same interface, JSON payloads.

export interface PubSub<T> {
  publish(topic: string, payload: T): Promise<void>;
  /** an async iterator of the payloads published on `topic` from now on; call return() to unsubscribe */
  subscribe(topic: string): AsyncIterableIterator<T>;
  close(): Promise<void>;
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
      const queue: T[] = [];
      const waiting: ((r: IteratorResult<T>) => void)[] = [];
      let done = false;
      const push = (payload: T) => {
        const next = waiting.shift();
        if (next) next({ value: payload, done: false });
        else queue.push(payload);
      };
      const finish = () => {
        if (done) return;
        done = true;
        subscribers.get(topic)?.delete(push);
        closers.delete(finish);
        for (const w of waiting.splice(0)) w({ value: undefined, done: true });
      };
      if (!subscribers.has(topic)) subscribers.set(topic, new Set());
      subscribers.get(topic)!.add(push);
      closers.add(finish);
      const iterator: AsyncIterableIterator<T> = {
        next: () => {
          if (queue.length) return Promise.resolve({ value: queue.shift()!, done: false });
          if (done) return Promise.resolve({ value: undefined, done: true });
          return new Promise((resolve) => waiting.push(resolve));
        },
        return: () => { finish(); return Promise.resolve({ value: undefined, done: true }); },
        [Symbol.asyncIterator]() { return iterator; },
      };
      return iterator;
    },
    async close() {
      for (const finish of [...closers]) finish();
    },
  };
}
