// Fixed-window decisions (hand-computed), the in-memory backend with a fake clock, env config, and the
// per-request combination of IP and credential limits.
import { clientIp, createMemoryRateLimiter, createRequestLimits, decide, rateLimitConfigFromEnv } from "../src";

const rule = { limit: 3, windowMs: 10_000 };

test("decide: within the limit is allowed with the remaining count; beyond it gives whole seconds to wait", () => {
  expect(decide(1, rule, 9_000)).toEqual({ allowed: true, limit: 3, remaining: 2, retryAfterSeconds: 0 });
  expect(decide(3, rule, 9_000)).toEqual({ allowed: true, limit: 3, remaining: 0, retryAfterSeconds: 0 });
  expect(decide(4, rule, 2_001)).toEqual({ allowed: false, limit: 3, remaining: 0, retryAfterSeconds: 3 });
  expect(decide(4, rule, 0)).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
});

test("memory limiter: counts per key within a window and resets after it", async () => {
  let t = 1_000;
  const limiter = createMemoryRateLimiter({ now: () => t });
  const results = [];
  for (let i = 0; i < 4; i++) results.push((await limiter.consume("a", rule)).allowed);
  expect(results).toEqual([true, true, true, false]);
  expect((await limiter.consume("b", rule)).allowed).toBe(true); // other key unaffected
  t += 4_000;
  const refused = await limiter.consume("a", rule);
  expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 6 });
  t += 6_000; // window over
  expect(await limiter.consume("a", rule)).toMatchObject({ allowed: true, remaining: 2 });
});

test("memory limiter: limit 0 disables the rule; cost counts several requests", async () => {
  const limiter = createMemoryRateLimiter();
  for (let i = 0; i < 50; i++) expect((await limiter.consume("x", { limit: 0, windowMs: 1000 })).allowed).toBe(true);
  expect((await limiter.consume("y", rule, 3)).remaining).toBe(0);
  expect((await limiter.consume("y", rule, 1)).allowed).toBe(false);
});

test("memory limiter: expired windows are swept", async () => {
  let t = 0;
  const limiter = createMemoryRateLimiter({ now: () => t });
  for (let i = 0; i < 100; i++) await limiter.consume(`k${i}`, { limit: 5, windowMs: 1000 });
  expect(limiter.size()).toBe(100);
  t = 20_000;
  await limiter.consume("fresh", { limit: 5, windowMs: 1000 });
  expect(limiter.size()).toBe(1);
});

test("config from env: defaults, overrides, and a clear error for nonsense", () => {
  expect(rateLimitConfigFromEnv({})).toEqual({ perIp: { limit: 600, windowMs: 60_000 }, perToken: { limit: 1200, windowMs: 60_000 }, trustProxy: false, exemptIps: ["127.0.0.1", "::1"] });
  expect(rateLimitConfigFromEnv({ RATE_LIMIT_PER_IP: "5", RATE_LIMIT_PER_TOKEN: "0", RATE_LIMIT_WINDOW_MS: "1000", RATE_LIMIT_TRUST_PROXY: "1", RATE_LIMIT_EXEMPT_IPS: "" }))
    .toEqual({ perIp: { limit: 5, windowMs: 1000 }, perToken: { limit: 0, windowMs: 1000 }, trustProxy: true, exemptIps: [] });
  expect(() => rateLimitConfigFromEnv({ RATE_LIMIT_PER_IP: "lots" })).toThrow(/RATE_LIMIT_PER_IP/);
});

test("request limits: a credential has its own budget, the IP budget applies to everyone behind it", async () => {
  const limits = createRequestLimits(createMemoryRateLimiter(), {
    perIp: { limit: 5, windowMs: 60_000 }, perToken: { limit: 2, windowMs: 60_000 }, trustProxy: false, exemptIps: ["127.0.0.1"],
  });
  const tokenA = [await limits.check({ ip: "1.1.1.1", credential: "mma_a" }), await limits.check({ ip: "1.1.1.1", credential: "mma_a" }), await limits.check({ ip: "1.1.1.1", credential: "mma_a" })];
  expect(tokenA.map((v) => v.allowed)).toEqual([true, true, false]);
  expect(tokenA[2].scope).toBe("token");
  expect((await limits.check({ ip: "1.1.1.1", credential: "mma_b" })).allowed).toBe(true); // 4th on this IP
  expect((await limits.check({ ip: "1.1.1.1", credential: null })).allowed).toBe(true); // 5th
  const sixth = await limits.check({ ip: "1.1.1.1", credential: null });
  expect(sixth).toMatchObject({ allowed: false, scope: "ip" });
  expect(sixth.retryAfterSeconds).toBeGreaterThanOrEqual(59);
  expect((await limits.check({ ip: "2.2.2.2", credential: null })).allowed).toBe(true);
  for (let i = 0; i < 10; i++) expect((await limits.check({ ip: "127.0.0.1", credential: null })).allowed).toBe(true); // exempt
});

test("client IP: socket address by default, X-Forwarded-For only behind a trusted proxy", () => {
  expect(clientIp("::ffff:10.0.0.1", "9.9.9.9", false)).toBe("10.0.0.1");
  expect(clientIp("10.0.0.1", "9.9.9.9, 10.0.0.1", true)).toBe("9.9.9.9");
  expect(clientIp(undefined, undefined, true)).toBe("unknown");
});
