// Forwarded-for trust attacks against the per-IP limit (issue 15 #5), measured over real HTTP on one in-process
// API (embedded in-memory PGlite, in-memory limiter) set up as behind one reverse proxy: RATE_LIMIT_TRUST_PROXY=1,
// RATE_LIMIT_PER_IP (default 600 per minute), loopback exempt (RATE_LIMIT_EXEMPT_IPS=127.0.0.1,::1, the old
// default). Each scenario sends N `{ __typename }` POSTs from one client with the X-Forwarded-For header that the
// proxy would forward, and counts the requests let through (not 429):
//   rotate-behind-proxy  "<fresh address each request>, 203.0.113.9"  (the client rotates, the proxy appends its peer)
//   loopback-behind-proxy "127.0.0.1, 203.0.113.9"                    (the client claims loopback)
//   loopback-direct       "127.0.0.1"                                  (a client reaching the API without the proxy)
// Prints one JSON line per scenario: { scenario, sent, through, ms }.
//   npx tsx --tsconfig tsconfig.base.json tools/bench/forwarded-for.bench.ts [--requests 1500]
import { parseArgs } from "node:util";
import { createTestDatabase } from "@mmatlas/db/testing";
import { startApiServer } from "../../apps/api/src/server";

const { values } = parseArgs({ options: { requests: { type: "string", default: "1500" } } });
const N = Number(values.requests);

const SCENARIOS: Record<string, (i: number) => string> = {
  "rotate-behind-proxy": (i) => `198.51.${(i >> 8) & 255}.${i & 255}, 203.0.113.9`,
  "loopback-behind-proxy": () => "127.0.0.1, 203.0.113.9",
  "loopback-direct": () => "127.0.0.1",
};

async function main() {
  Object.assign(process.env, { RATE_LIMIT_TRUST_PROXY: "1", RATE_LIMIT_EXEMPT_IPS: "127.0.0.1,::1", REDIS_URL: "" });
  process.env.RATE_LIMIT_PER_IP ??= "600";
  const db = await createTestDatabase();
  try {
    for (const [scenario, header] of Object.entries(SCENARIOS)) {
      const api = await startApiServer({
        port: 0,
        host: "127.0.0.1",
        prisma: db.prisma,
        jobRunner: "none",
        log: () => {},
      });
      try {
        const t0 = performance.now();
        let through = 0;
        for (let i = 0; i < N; i++) {
          const res = await fetch(api.url, {
            method: "POST",
            headers: { "content-type": "application/json", "x-forwarded-for": header(i) },
            body: '{"query":"{ __typename }"}',
          });
          await res.arrayBuffer();
          if (res.status !== 429) through++;
        }
        console.log(
          JSON.stringify({
            scenario,
            perIpLimit: Number(process.env.RATE_LIMIT_PER_IP),
            sent: N,
            through,
            ms: Math.round(performance.now() - t0),
          }),
        );
      } finally {
        await api.close();
      }
    }
  } finally {
    await db.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
