// In-memory fixed-window rate limiter for a single process (the default without REDIS_URL). Expired
// windows are swept lazily so memory stays bounded by the number of keys active in one window.
import { decide, UNLIMITED, type RateLimiter, type RateLimitRule } from "./limiter";

interface Window {
  count: number;
  resetAt: number;
}

export function createMemoryRateLimiter(opts: { now?: () => number } = {}): RateLimiter & { size(): number } {
  const now = opts.now ?? Date.now;
  const windows = new Map<string, Window>();
  let nextSweep = 0;
  const sweep = (t: number) => {
    if (t < nextSweep) return;
    for (const [k, w] of windows) if (w.resetAt <= t) windows.delete(k);
    nextSweep = t + 10_000;
  };
  return {
    async consume(key: string, rule: RateLimitRule, cost = 1) {
      if (rule.limit <= 0) return UNLIMITED(rule);
      const t = now();
      sweep(t);
      const mapKey = `${rule.windowMs}:${key}`;
      let w = windows.get(mapKey);
      if (!w || w.resetAt <= t) {
        w = { count: 0, resetAt: t + rule.windowMs };
        windows.set(mapKey, w);
      }
      w.count = Math.max(0, w.count + cost); // a negative cost gives requests back, never below 0
      return decide(w.count, rule, w.resetAt - t);
    },
    size: () => windows.size,
    async close() {
      windows.clear();
    },
  };
}
