// The Redis limiter against the machine's Redis: counts shared between two limiter instances (two API
// nodes), refusal with retry-after from the key's TTL, and expiry set on the window key.
import { randomBytes } from "node:crypto";
import Redis from "ioredis";
import { redisForTests } from "@mmatlas/realtime/testing";
import { createLoginThrottle } from "../src";
import { createRedisRateLimiter } from "../src/redis";

jest.setTimeout(30_000);
let url: string | null;
const prefix = `mmatlas-test-rl-${randomBytes(6).toString("hex")}:`;
beforeAll(async () => {
  url = await redisForTests("ratelimit redis");
});
afterAll(async () => {
  if (!url) return;
  const r = new Redis(url);
  const keys = await r.keys(`${prefix}*`);
  if (keys.length) await r.del(...keys);
  await r.quit();
});

test("two instances share one window; the refusal carries the seconds left", async () => {
  if (!url) return;
  const a = createRedisRateLimiter({ redis: url, prefix });
  const b = createRedisRateLimiter({ redis: url, prefix });
  const rule = { limit: 3, windowMs: 30_000 };
  try {
    const seen = [
      await a.consume("k", rule),
      await b.consume("k", rule),
      await a.consume("k", rule),
      await b.consume("k", rule),
    ];
    expect(seen.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(seen.map((d) => d.remaining)).toEqual([2, 1, 0, 0]);
    expect(seen[3].retryAfterSeconds).toBeGreaterThanOrEqual(29);
    expect(seen[3].retryAfterSeconds).toBeLessThanOrEqual(30);
    const r = new Redis(url);
    const ttl = await r.pttl(`${prefix}30000:k`);
    await r.quit();
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30_000);
  } finally {
    await a.close();
    await b.close();
  }
});

test("a short window expires and the key starts again", async () => {
  if (!url) return;
  const a = createRedisRateLimiter({ redis: url, prefix });
  try {
    const rule = { limit: 1, windowMs: 300 };
    expect((await a.consume("short", rule)).allowed).toBe(true);
    expect((await a.consume("short", rule)).allowed).toBe(false);
    await new Promise((r) => setTimeout(r, 400));
    expect((await a.consume("short", rule)).allowed).toBe(true);
  } finally {
    await a.close();
  }
});

test("login throttle over Redis: failures per account shared by two nodes; negative costs stop at zero", async () => {
  if (!url) return;
  const a = createRedisRateLimiter({ redis: url, prefix });
  const b = createRedisRateLimiter({ redis: url, prefix });
  try {
    const rule = { limit: 2, windowMs: 30_000 };
    const [ta, tb] = [createLoginThrottle(a, rule), createLoginThrottle(b, rule)];
    expect((await ta.attempt("x@example.org")).allowed).toBe(true);
    expect((await tb.attempt("x@example.org")).allowed).toBe(true);
    const refused = await ta.attempt("x@example.org");
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(29);
    expect((await a.consume("neg", rule, -3)).remaining).toBe(2);
    await tb.succeeded("y@example.org"); // nothing to give back
    expect((await ta.attempt("y@example.org")).allowed).toBe(true);
    expect((await ta.attempt("y@example.org")).allowed).toBe(true);
    expect((await ta.attempt("y@example.org")).allowed).toBe(false);
  } finally {
    await a.close();
    await b.close();
  }
});
