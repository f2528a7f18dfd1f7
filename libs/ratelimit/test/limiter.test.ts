// Fixed-window decisions (hand-computed), the in-memory backend with a fake clock, env config, and the
// per-request combination of IP and credential limits.
import {
  clientAddress,
  createLoginThrottle,
  createMemoryRateLimiter,
  createRequestLimits,
  rateLimitConfigFromEnv,
} from "../src";
import { clientIp } from "../src/request-limits";
import { decide } from "../src/limiter";
import { loginThrottleRuleFromEnv } from "../src/login-throttle";

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
  // no exemption and no trusted proxy unless configured (loopback exemption is opt-in)
  expect(rateLimitConfigFromEnv({})).toEqual({
    perIp: { limit: 600, windowMs: 60_000 },
    perToken: { limit: 1200, windowMs: 60_000 },
    trustProxy: 0,
    exemptIps: [],
  });
  expect(
    rateLimitConfigFromEnv({
      RATE_LIMIT_PER_IP: "5",
      RATE_LIMIT_PER_TOKEN: "0",
      RATE_LIMIT_WINDOW_MS: "1000",
      RATE_LIMIT_TRUST_PROXY: "1",
      RATE_LIMIT_EXEMPT_IPS: "127.0.0.1, ::1",
    }),
  ).toEqual({
    perIp: { limit: 5, windowMs: 1000 },
    perToken: { limit: 0, windowMs: 1000 },
    trustProxy: 1,
    exemptIps: ["127.0.0.1", "::1"],
  });
  expect(rateLimitConfigFromEnv({ RATE_LIMIT_TRUST_PROXY: "2" }).trustProxy).toBe(2);
  expect(rateLimitConfigFromEnv({ RATE_LIMIT_TRUST_PROXY: "true" }).trustProxy).toBe(1);
  expect(rateLimitConfigFromEnv({ RATE_LIMIT_TRUST_PROXY: "false" }).trustProxy).toBe(0);
  expect(() => rateLimitConfigFromEnv({ RATE_LIMIT_PER_IP: "lots" })).toThrow(/RATE_LIMIT_PER_IP/);
  expect(() => rateLimitConfigFromEnv({ RATE_LIMIT_TRUST_PROXY: "yes" })).toThrow(/RATE_LIMIT_TRUST_PROXY/);
});

test("request limits: a credential has its own budget, the IP budget applies to everyone behind it", async () => {
  const limits = createRequestLimits(createMemoryRateLimiter(), {
    perIp: { limit: 5, windowMs: 60_000 },
    perToken: { limit: 2, windowMs: 60_000 },
    trustProxy: false,
    exemptIps: ["127.0.0.1"],
  });
  const tokenA = [
    await limits.check({ ip: "1.1.1.1", credential: "mma_a" }),
    await limits.check({ ip: "1.1.1.1", credential: "mma_a" }),
    await limits.check({ ip: "1.1.1.1", credential: "mma_a" }),
  ];
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

test("client IP: socket address by default, the right-most untrusted X-Forwarded-For hop behind n trusted proxies", () => {
  expect(clientIp("::ffff:10.0.0.1", "9.9.9.9", false)).toBe("10.0.0.1");
  expect(clientIp("::ffff:10.0.0.1", "9.9.9.9", 0)).toBe("10.0.0.1");
  // one proxy (10.0.0.1) appended the address it saw (5.5.5.5); "9.9.9.9" was written by the client
  expect(clientIp("10.0.0.1", "9.9.9.9, 5.5.5.5", 1)).toBe("5.5.5.5");
  expect(clientIp("10.0.0.1", "9.9.9.9, 5.5.5.5", true)).toBe("5.5.5.5");
  // two proxies: the nearest (socket) appended the first proxy's address; the client is one further left
  expect(clientIp("10.0.0.2", "9.9.9.9, 5.5.5.5, 10.0.0.1", 2)).toBe("5.5.5.5");
  // several headers are one list; a header shorter than the hop count gives its left-most entry (as Express)
  expect(clientIp("10.0.0.2", ["1.1.1.1", "5.5.5.5"], 1)).toBe("5.5.5.5");
  expect(clientIp("10.0.0.2", "5.5.5.5", 3)).toBe("5.5.5.5");
  expect(clientIp("10.0.0.2", "::ffff:5.5.5.5", 1)).toBe("5.5.5.5");
  expect(clientIp("10.0.0.2", "not-an-ip", 1)).toBe("invalid:not-an-ip");
  expect(clientIp("10.0.0.2", "", 1)).toBe("10.0.0.2");
  expect(clientIp(undefined, undefined, true)).toBe("unknown");
  expect(clientAddress("10.0.0.1", "127.0.0.1", 1)).toEqual({ ip: "127.0.0.1", forwarded: true });
  expect(clientAddress("127.0.0.1", undefined, 1)).toEqual({ ip: "127.0.0.1", forwarded: false });
});

test("forwarded-for rotation behind one trusted proxy: the client's own entries do not buy new budgets", async () => {
  const limits = createRequestLimits(createMemoryRateLimiter(), {
    perIp: { limit: 10, windowMs: 60_000 },
    perToken: { limit: 0, windowMs: 60_000 },
    trustProxy: 1,
    exemptIps: [],
  });
  let allowed = 0;
  for (let i = 0; i < 100; i++) {
    // the client rotates its own entry; the proxy appends the real peer address 203.0.113.7
    const ip = clientAddress("10.0.0.1", `198.51.${i >> 8}.${i & 255}, 203.0.113.7`, 1);
    if ((await limits.check({ ...ip, credential: null })).allowed) allowed++;
  }
  expect(allowed).toBe(10);
});

test("an address taken from X-Forwarded-For is never exempt, a socket address in the list is", async () => {
  const limits = createRequestLimits(createMemoryRateLimiter(), {
    perIp: { limit: 2, windowMs: 60_000 },
    perToken: { limit: 0, windowMs: 60_000 },
    trustProxy: 1,
    exemptIps: ["127.0.0.1"],
  });
  const spoofed = [];
  for (let i = 0; i < 4; i++)
    spoofed.push((await limits.check({ ...clientAddress("10.0.0.1", "127.0.0.1", 1), credential: null })).allowed);
  expect(spoofed).toEqual([true, true, false, false]);
  for (let i = 0; i < 4; i++)
    expect((await limits.check({ ...clientAddress("127.0.0.1", undefined, 1), credential: null })).allowed).toBe(true);
});

test("login throttle: per account, counted before the check, a success gives its count back", async () => {
  let t = 0;
  const throttle = createLoginThrottle(createMemoryRateLimiter({ now: () => t }), { limit: 3, windowMs: 60_000 });
  for (let i = 0; i < 3; i++) expect((await throttle.attempt("alice@example.org")).allowed).toBe(true); // 3 failures
  expect(await throttle.attempt(" Alice@Example.org ")).toEqual({ allowed: false, retryAfterSeconds: 60 });
  expect((await throttle.attempt("bob@example.org")).allowed).toBe(true); // other accounts unaffected
  // successes do not add up to a lockout
  for (let i = 0; i < 10; i++) {
    expect((await throttle.attempt("carol@example.org")).allowed).toBe(true);
    await throttle.succeeded("carol@example.org");
  }
  t = 60_000; // window over
  expect((await throttle.attempt("alice@example.org")).allowed).toBe(true);
});

test("login throttle: rule from env, 0 disables it", async () => {
  expect(loginThrottleRuleFromEnv({})).toEqual({ limit: 10, windowMs: 900_000 });
  expect(loginThrottleRuleFromEnv({ LOGIN_MAX_FAILURES: "3", LOGIN_FAILURE_WINDOW_MS: "1000" })).toEqual({
    limit: 3,
    windowMs: 1000,
  });
  expect(() => loginThrottleRuleFromEnv({ LOGIN_MAX_FAILURES: "-1" })).toThrow(/LOGIN_MAX_FAILURES/);
  const off = createLoginThrottle(createMemoryRateLimiter(), loginThrottleRuleFromEnv({ LOGIN_MAX_FAILURES: "0" }));
  for (let i = 0; i < 50; i++) expect((await off.attempt("a@example.org")).allowed).toBe(true);
});

test("memory limiter: a negative cost gives requests back but never below zero", async () => {
  const limiter = createMemoryRateLimiter();
  expect((await limiter.consume("n", rule, -5)).remaining).toBe(3);
  await limiter.consume("n", rule, 3);
  expect((await limiter.consume("n", rule, -1)).remaining).toBe(1);
});
