// `npm run bench:api` — GraphQL read performance on a large atlas in PostgreSQL: the unit page query and
// label search, against 1M units / 20M top activations (seeded by seed-api.ts into mmatlas_bench if missing).
// autocannon runs each query unthrottled at 50 and 200 connections (max rps); then a steady 200 rps of evenly
// spaced requests over 200 connections (lib/open-loop.ts, in a child process of its own; the p99 goal: < 30 ms at
// 200 rps; client_lag_ms = the generator's own worst delay in sending), and, for
// comparison, autocannon's own 200 rps limit, which sends each second's requests in one burst ("bursts").
// The API runs as a separate process (apps/api main.ts).
// --atlas large: the ViT-B/32-geometry atlas instead (seed-large-atlas.ts into mmatlas_large, seeded if missing:
// 61,680 units, 2.15M top activations with 50 / 77 values, 224 px images): the unit page over its 61,440 neurons and
// the model page (model, hook points, SAEs, labeling progress, first 50 units + total); report artifacts/bench/api-large.json.
// --atlas built: the same two pages on the atlas `BENCH_LARGE_KEEP=1 npm run bench:large` really built and kept
// (lib/built-atlas.ts, database mmatlas_large_built; never seeded here); report artifacts/bench/api-built.json.
// The API runs with MMATLAS_DIAGNOSTICS=1: after each steady run the bench reads its event-loop delay, GC pauses,
// slow statements and pool waits over the measured window (GET /__diagnostics, loopback only) and prints the
// slowest requests with their cause (lib/stalls.ts). --runs N repeats the steady runs N times (each reported, with
// the load average); --steady-only skips the saturating autocannon runs. The quiet-machine check of issue 19:
//   npm run bench:api -- --runs 5 --steady-only
//   options: --duration S (30) --runs N (1) --steady-only --units N --per-unit K --database-url URL --skip-seed
//            --atlas bench|large|built --port P (the API's port; a free one by default)
import { execFile } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { parseArgs, promisify } from "node:util";
import autocannon from "autocannon";
import { PROBE_LIMIT, commonSearchStatement, rareSearchStatement } from "@mmatlas/catalog";
import pg from "pg";
import { startApiProcess } from "./lib/api-process";
import { rng, scenarios, type AtlasName, type Scenario } from "./lib/api-scenarios";
import type { SteadyArgs } from "./lib/open-loop-child";
import type { OpenLoopResult } from "./lib/open-loop";
import { REPO_ROOT, machineContext, printTable, writeReport, type Row } from "./lib/report";
import { benchDatabaseUrl, seedApiBench } from "./seed-api";
import { explainSlowRequests, worstStalls } from "./lib/stalls";
import type { DiagnosticsWindow } from "../../apps/api/src/diagnostics";
import { LARGE_MODEL, UNIT_PREFIX, largeAtlasDatabaseUrl, seedLargeAtlasDatabase } from "./seed-large-atlas";
import { builtAtlasDatabaseUrl, readBuiltAtlasAt, type BuiltAtlas } from "./lib/built-atlas";

const execFileAsync = promisify(execFile);

async function run(url: string, s: Scenario, connections: number, duration: number, rate?: number): Promise<Row> {
  const r = rng(connections * 7 + (rate ?? 0));
  const result = await autocannon({
    url,
    method: "POST",
    connections,
    duration,
    overallRate: rate,
    headers: { "content-type": "application/json" },
    requests: [{ setupRequest: (req: any) => ({ ...req, body: s.body(r) }) }],
  } as any);
  return {
    query: s.name,
    connections,
    mode: rate ? `${rate} rps bursts` : "max",
    requests: result.requests.total,
    rps: +result.requests.average.toFixed(1),
    p50_ms: result.latency.p50,
    p90_ms: result.latency.p90,
    p99_ms: result.latency.p99,
    max_ms: result.latency.max,
    errors: result.errors + result.timeouts + result.non2xx,
    client_lag_ms: null,
  };
}

const diagnosticsUrl = (apiUrl: string, suffix = "") => new URL(`/__diagnostics${suffix}`, apiUrl).toString();

interface SteadyRun {
  row: Row;
  result: OpenLoopResult;
  diagnostics: DiagnosticsWindow | null;
  load: { before: number[]; after: number[] };
}

/** A steady `rate` of requests, evenly spaced, over `connections` keep-alive sockets (lib/open-loop.ts), sent from a
 *  fresh child process (lib/open-loop-child.ts) so this process's garbage from the autocannon runs cannot stall it.
 *  The API's diagnostics window starts after the child's warm-up and is read when the run ends. */
async function steady(
  url: string,
  s: Scenario,
  atlas: AtlasName,
  units: number,
  built: BuiltAtlas | undefined,
  connections: number,
  duration: number,
  rate: number,
  run = 1,
): Promise<SteadyRun> {
  // the previous (saturating) run leaves requests queued in the API: let them drain; the child warms up for 3 s
  await new Promise((done) => setTimeout(done, 2000));
  const loadBefore = os.loadavg().map((l) => +l.toFixed(2));
  const args: SteadyArgs = {
    url,
    scenario: s.name,
    atlas,
    units,
    built,
    rate,
    connections,
    durationS: duration,
    warmupS: 3,
    seed: connections * 13 + rate + run,
    resetUrl: diagnosticsUrl(url, "/reset"),
  };
  // asynchronous: this process must keep reading the API child's output meanwhile
  const { stdout: out } = await execFileAsync(
    path.join(REPO_ROOT, "node_modules", ".bin", "tsx"),
    ["--tsconfig", "tsconfig.base.json", "tools/bench/lib/open-loop-child.ts", JSON.stringify(args)],
    { cwd: REPO_ROOT, encoding: "utf8", maxBuffer: 1 << 20 },
  );
  const res = JSON.parse(out.trim().split("\n").pop()!) as OpenLoopResult;
  const diag = await fetch(diagnosticsUrl(url)).then(
    (r) => (r.ok ? (r.json() as Promise<DiagnosticsWindow>) : null),
    () => null,
  );
  const loadAfter = os.loadavg().map((l) => +l.toFixed(2));
  const major = diag ? Object.entries(diag.gc.byKind).find(([k]) => k.startsWith("major"))?.[1] : undefined;
  return {
    row: {
      query: s.name,
      connections,
      mode: `${rate} rps`,
      run,
      requests: res.requests,
      rps: res.rps,
      p50_ms: res.p50,
      p90_ms: res.p90,
      p99_ms: res.p99,
      max_ms: res.max,
      errors: res.errors,
      client_lag_ms: res.maxSendLagMs,
      loop_p99_ms: diag?.loopDelay.p99 ?? null,
      loop_max_ms: diag?.loopDelay.max ?? null,
      gc_max_ms: diag?.gc.maxMs ?? null,
      major_gcs: major?.count ?? (diag ? 0 : null),
      sql_max_ms: diag?.statements.maxMs ?? null,
      pool_wait_max_ms: diag?.poolWaits.maxMs ?? null,
      load1: `${loadBefore[0]}→${loadAfter[0]}`,
    },
    result: res,
    diagnostics: diag,
    load: { before: loadBefore, after: loadAfter },
  };
}

/** Prints a steady run's slowest requests with their cause and the longest server events. */
function printStalls(title: string, run: SteadyRun) {
  if (!run.diagnostics) {
    console.log(`${title}: no diagnostics from the API`);
    return;
  }
  const explained = explainSlowRequests(run.result.slowest.slice(0, 10), run.diagnostics.events);
  printTable(
    `${title}: slowest requests and their cause`,
    explained.map((e) => ({ latency_ms: e.ms, cause: e.cause, evidence: e.evidence.join("; ") || "-" })),
  );
  printTable(
    `${title}: longest API events (loop delay p99 ${run.diagnostics.loopDelay.p99} ms, max ${run.diagnostics.loopDelay.max} ms; ` +
      `GC ${run.diagnostics.gc.count}× ${run.diagnostics.gc.totalMs} ms)`,
    worstStalls(run.diagnostics.events, 8).map((e) => ({ ms: e.ms, cause: e.cause, kind: e.kind, detail: e.detail })),
  );
}

async function explain(url: string, units: number) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // the label search statements (libs/catalog label-search.ts: the term range for rare queries, the listing-order
    // walk for common ones), explained with real timings
    const rare = rareSearchStatement({}, null),
      common = commonSearchStatement({}, null);
    const explainText = async (text: string, params: unknown[]) =>
      (await client.query(`explain (analyze, buffers, format text) ${text}`, params)).rows
        .map((r) => r["QUERY PLAN"])
        .join("\n");
    const plans: Record<string, string> = {};
    for (const term of ["red", "red blue", `detector ${Math.floor(units / 20) * 10}`, "zebra1"]) {
      plans[`search:${term}:range`] = await explainText(rare.statement.text, [term, PROBE_LIMIT, 21]);
      plans[`search:${term}:walk`] = await explainText(common.statement.text, [term, 21]);
    }
    plans["topActivations"] = (
      await client.query(
        `explain (analyze, buffers) select * from "TopActivation" where "unitId" in ($1) and band = 'TOP' order by "bandIndex", rank`,
        [`bu${Math.floor(units / 2)}`],
      )
    ).rows
      .map((r) => r["QUERY PLAN"])
      .join("\n");
    return plans;
  } finally {
    await client.end();
  }
}

/** Plans of the large atlas's model-page and unit-page statements (model `modelId`, unit `unitId`), with real timings. */
async function explainLarge(url: string, modelId: string, unitId: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const plan = async (sql: string, params: unknown[]) =>
      (await client.query(`explain (analyze, buffers) ${sql}`, params)).rows.map((r) => r["QUERY PLAN"]).join("\n");
    return {
      labelingProgress: await plan(
        `select "hookPointId", "dictionaryId", kind, "labelState", count(*) from "Unit" where "modelId" = $1 group by 1, 2, 3, 4`,
        [modelId],
      ),
      totalCount: await plan(`select count(*) from "Unit" where "modelId" = $1`, [modelId]),
      firstPage: await plan(`select * from "Unit" where "modelId" = $1 order by "hookPointId", index, id limit 51`, [
        modelId,
      ]),
      topActivations: await plan(
        `select * from "TopActivation" where "unitId" in ($1) and band = 'TOP' order by "bandIndex", rank`,
        [unitId],
      ),
    };
  } finally {
    await client.end();
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      duration: { type: "string", default: "30" },
      units: { type: "string", default: "1000000" },
      "per-unit": { type: "string", default: "20" },
      "database-url": { type: "string" },
      "skip-seed": { type: "boolean", default: false },
      atlas: { type: "string", default: "bench" },
      runs: { type: "string", default: "1" },
      "steady-only": { type: "boolean", default: false },
      port: { type: "string" },
    },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, not ${values.runs}`);
  const atlas = values.atlas as AtlasName;
  if (atlas !== "bench" && atlas !== "large" && atlas !== "built")
    throw new Error(`--atlas must be bench, large or built, not ${values.atlas}`);
  const large = atlas !== "bench"; // the ViT-B/32-geometry scenarios: seeded or built
  const dbUrl =
    atlas === "large"
      ? await largeAtlasDatabaseUrl(values["database-url"])
      : atlas === "built"
        ? builtAtlasDatabaseUrl(values["database-url"])
        : benchDatabaseUrl(values["database-url"]);
  const duration = Number(values.duration);
  let units = Number(values.units);
  const built = atlas === "built" ? await readBuiltAtlasAt(dbUrl) : undefined;
  if (built) units = built.mlpUnits;
  else if (large)
    units = (await seedLargeAtlasDatabase(dbUrl, { reuse: true })).mlpUnits; // the unit pages asked for: neurons
  else if (!values["skip-seed"]) await seedApiBench({ url: dbUrl, units, perUnit: Number(values["per-unit"]) });
  const before = machineContext();
  const api = await startApiProcess(
    {
      DATABASE_URL: dbUrl,
      REDIS_URL: "",
      JOB_RUNNER: "none",
      RATE_LIMIT_PER_IP: "0",
      RATE_LIMIT_PER_TOKEN: "0",
      MMATLAS_DIAGNOSTICS: "1",
    },
    { label: "api", quiet: true, port: values.port ? Number(values.port) : undefined },
  );
  try {
    // correctness before speed: one request of each kind must return data without errors
    for (const s of scenarios(units, atlas, built)) {
      const res = await fetch(api.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: s.body(rng(1)),
      });
      const json = (await res.json()) as { data?: unknown; errors?: unknown };
      if (json.errors || !json.data) throw new Error(`${s.name} failed: ${JSON.stringify(json).slice(0, 500)}`);
    }
    const rows: Row[] = [];
    const steadyRuns: (SteadyRun & { scenario: string })[] = [];
    if (!values["steady-only"]) {
      for (const s of scenarios(units, atlas, built)) {
        await run(api.url, s, 50, 3); // warm-up (connection pool, caches), not reported
        for (const c of [50, 200]) rows.push(await run(api.url, s, c, duration));
        rows.push(await run(api.url, s, 200, duration, 200)); // autocannon's overallRate: per-second bursts, for comparison
        printTable(
          `after ${s.name}`,
          rows.filter((r) => r.query === s.name),
        );
      }
    }
    // the steady runs (the goal), each scenario in turn, `runs` times
    for (let i = 1; i <= runs; i++) {
      for (const s of scenarios(units, atlas, built)) {
        const r = await steady(api.url, s, atlas, units, built, 200, duration, 200, i);
        steadyRuns.push({ ...r, scenario: s.name });
        rows.push(r.row);
        printTable(
          `run ${i}/${runs}: ${s.name} at a steady 200 rps (load average ${r.load.before.join(" ")} → ${r.load.after.join(" ")})`,
          [r.row],
        );
        printStalls(`run ${i}: ${s.name}`, r);
      }
    }
    printTable(
      `bench:api${built ? ` --atlas built (${built.modelName}, built by bench:large)` : large ? " --atlas large (ViT-B/32 geometry)" : ""} — ${units.toLocaleString("en-US")} units, ${duration} s per run, ${runs} steady run(s) (goal: p99 < 30 ms at 200 rps in every run)`,
      rows,
    );
    const plans: Record<string, string> = built
      ? await explainLarge(dbUrl, built.modelId, built.sampleVisionUnitId)
      : large
        ? await explainLarge(dbUrl, LARGE_MODEL, `${UNIT_PREFIX}${Math.floor(units / 2)}`)
        : await explain(dbUrl, units);
    for (const [k, p] of Object.entries(plans)) console.log(`\n-- plan ${k}\n${p}`);
    const steadyRows = rows.filter((r) => r.mode === "200 rps");
    writeReport(built ? "api-built" : large ? "api-large" : "api", {
      atlas,
      units,
      model: built?.modelName,
      topActivationsPerUnit: built ? undefined : large ? 35 : Number(values["per-unit"]),
      durationS: duration,
      runs,
      loadBefore: before.loadavg,
      rows,
      plans,
      steadyRuns: steadyRuns.map((r) => ({
        scenario: r.scenario,
        run: r.row.run,
        load: r.load,
        result: r.result,
        diagnostics: r.diagnostics && { ...r.diagnostics, events: r.diagnostics.events.slice(0, 50) },
      })),
      goal: { p99MsBelow: 30, atRps: 200, inEveryRun: true },
      goalMet: Object.fromEntries(
        scenarios(units, atlas, built).map((s) => [
          s.name,
          steadyRows.filter((r) => r.query === s.name).every((r) => Number(r.p99_ms) < 30),
        ]),
      ),
    });
  } finally {
    await api.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
