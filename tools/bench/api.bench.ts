// `npm run bench:api` — GraphQL read performance on a large atlas in PostgreSQL: the unit page query and
// label search, against 1M units / 20M top activations (seeded by seed-api.ts into mmatlas_bench if missing).
// autocannon runs each query unthrottled at 50 and 200 connections (max rps); then a steady 200 rps of evenly
// spaced requests over 200 connections (lib/open-loop.ts; the p99 goal: < 30 ms at 200 rps), and, for
// comparison, autocannon's own 200 rps limit, which sends each second's requests in one burst ("bursts").
// The API runs as a separate process (apps/api main.ts).
//   options: --duration S (10) --units N --per-unit K --database-url URL --skip-seed
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import pg from "pg";
import { startApiProcess } from "./lib/api-process";
import { openLoop } from "./lib/open-loop";
import { machineContext, printTable, writeReport, type Row } from "./lib/report";
import { LABEL_WORDS, benchDatabaseUrl, seedApiBench } from "./seed-api";

const UNIT_PAGE = `query UnitPage($id: ID!) { unit(id: $id) { id slug kind index labelState currentLabel topAutoLabel
  model { name } hookPoint { name layer }
  stats { maxActivation density histogram { edges counts } }
  autoLabels { label score method }
  topActivations(limit: 20) { rank maxValue values example { id text tags } }
  annotations { id label status voteScore } comments { id body } } }`;
const LABEL_SEARCH = `query LabelSearch($s: String!) { units(filter: { search: $s }, first: 20) {
  edges { node { id slug currentLabel topAutoLabel labelState } } pageInfo { hasNextPage endCursor } } }`;

/** Deterministic pseudo-random numbers (mulberry32) so every run sends the same request mix. */
function rng(seed: number) {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Search terms: a common word (1/16 of units), an exact auto-label pair (1/256), a rare current label, a miss. */
function searchTerm(r: () => number, units: number): string {
  const w = () => LABEL_WORDS[Math.floor(r() * LABEL_WORDS.length)];
  const k = r();
  if (k < 0.25) return w();
  if (k < 0.5) return `${w()} ${w()}`;
  if (k < 0.75) return `detector ${Math.floor(r() * (units / 10)) * 10}`;
  return `zebra${Math.floor(r() * 1000)}`;
}

interface Scenario { query: string; name: string; body: (r: () => number) => string }

async function run(url: string, s: Scenario, connections: number, duration: number, rate?: number): Promise<Row> {
  const r = rng(connections * 7 + (rate ?? 0));
  const result = await autocannon({
    url, method: "POST", connections, duration, overallRate: rate,
    headers: { "content-type": "application/json" },
    requests: [{ setupRequest: (req: any) => ({ ...req, body: s.body(r) }) }],
  } as any);
  return {
    query: s.name, connections, mode: rate ? `${rate} rps bursts` : "max",
    requests: result.requests.total, rps: +result.requests.average.toFixed(1),
    p50_ms: result.latency.p50, p90_ms: result.latency.p90, p99_ms: result.latency.p99, max_ms: result.latency.max,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

/** A steady `rate` of requests, evenly spaced, over `connections` keep-alive sockets (lib/open-loop.ts). */
async function steady(url: string, s: Scenario, connections: number, duration: number, rate: number): Promise<Row> {
  const r = rng(connections * 13 + rate);
  // the previous (saturating) run leaves requests queued in the API: let them drain, then warm up at this rate
  await new Promise((done) => setTimeout(done, 2000));
  await openLoop({ url, rate, connections, durationS: 3, body: () => s.body(r) });
  const res = await openLoop({ url, rate, connections, durationS: duration, body: () => s.body(r) });
  return {
    query: s.name, connections, mode: `${rate} rps`, requests: res.requests, rps: res.rps,
    p50_ms: res.p50, p90_ms: res.p90, p99_ms: res.p99, max_ms: res.max, errors: res.errors,
  };
}

async function explain(url: string, units: number) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // the SQL shape of a label search page (libs/catalog resolvedUnitWhere: annotation matches are resolved to
    // unit ids first; the benchmark data has no annotations), explained with real timings
    const q = `explain (analyze, buffers, format text) select u.id from "Unit" u where (u."currentLabel" ilike $1 or u."topAutoLabel" ilike $1)
      order by u."hookPointId", u.index, u.id limit 21`;
    const plans: Record<string, string> = {};
    for (const term of ["red", `detector ${Math.floor(units / 20) * 10}`, "zebra1"]) {
      plans[`search:${term}`] = (await client.query(q, [`%${term}%`])).rows.map((r) => r["QUERY PLAN"]).join("\n");
    }
    plans["topActivations"] = (await client.query(`explain (analyze, buffers) select * from "TopActivation" where "unitId" in ($1) and band = 'TOP' order by "bandIndex", rank`, [`bu${Math.floor(units / 2)}`])).rows.map((r) => r["QUERY PLAN"]).join("\n");
    return plans;
  } finally {
    await client.end();
  }
}

async function main() {
  const { values } = parseArgs({ options: {
    duration: { type: "string", default: "10" }, units: { type: "string", default: "1000000" }, "per-unit": { type: "string", default: "20" },
    "database-url": { type: "string" }, "skip-seed": { type: "boolean", default: false },
  } });
  const dbUrl = benchDatabaseUrl(values["database-url"]);
  const units = Number(values.units);
  const duration = Number(values.duration);
  if (!values["skip-seed"]) await seedApiBench({ url: dbUrl, units, perUnit: Number(values["per-unit"]) });
  const before = machineContext();
  const api = await startApiProcess({ DATABASE_URL: dbUrl, REDIS_URL: "", JOB_RUNNER: "none", RATE_LIMIT_PER_IP: "0", RATE_LIMIT_PER_TOKEN: "0" }, { label: "api", quiet: true });
  try {
    const unitBody = (r: () => number) => JSON.stringify({ query: UNIT_PAGE, variables: { id: `bu${Math.floor(r() * units)}` } });
    const searchBody = (r: () => number) => JSON.stringify({ query: LABEL_SEARCH, variables: { s: searchTerm(r, units) } });
    const scenarios: Scenario[] = [{ query: UNIT_PAGE, name: "unit page", body: unitBody }, { query: LABEL_SEARCH, name: "label search", body: searchBody }];
    // correctness before speed: one request of each kind must return data without errors
    for (const s of scenarios) {
      const res = await fetch(api.url, { method: "POST", headers: { "content-type": "application/json" }, body: s.body(rng(1)) });
      const json = (await res.json()) as { data?: unknown; errors?: unknown };
      if (json.errors || !json.data) throw new Error(`${s.name} failed: ${JSON.stringify(json).slice(0, 500)}`);
    }
    const rows: Row[] = [];
    for (const s of scenarios) {
      await run(api.url, s, 50, 3); // warm-up (connection pool, caches), not reported
      for (const c of [50, 200]) rows.push(await run(api.url, s, c, duration));
      rows.push(await steady(api.url, s, 200, duration, 200));
      rows.push(await run(api.url, s, 200, duration, 200)); // autocannon's overallRate: per-second bursts, for comparison
      printTable(`after ${s.name}`, rows.filter((r) => r.query === s.name));
    }
    printTable(`bench:api — ${units.toLocaleString("en-US")} units, ${duration} s per run (goal: p99 < 30 ms at 200 rps)`, rows);
    const plans = await explain(dbUrl, units);
    for (const [k, p] of Object.entries(plans)) console.log(`\n-- plan ${k}\n${p}`);
    writeReport("api", { units, topActivationsPerUnit: Number(values["per-unit"]), durationS: duration, loadBefore: before.loadavg, rows, plans,
      goal: { p99MsBelow: 30, atRps: 200 }, goalMet: Object.fromEntries(rows.filter((r) => r.mode === "200 rps").map((r) => [r.query, Number(r.p99_ms) < 30])) });
  } finally {
    await api.stop();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
