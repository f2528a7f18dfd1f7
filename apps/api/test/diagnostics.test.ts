// Benchmark diagnostics (src/diagnostics.ts): off unless MMATLAS_DIAGNOSTICS=1, refused in production, served to
// loopback clients only, and they record what they claim: a blocked loop, pool waits and statements.
import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { createDiagnostics, diagnosticsFromEnv, isLoopback, type DiagnosticsWindow } from "../src/diagnostics";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it("is off by default and refused in production", () => {
  expect(diagnosticsFromEnv({})).toBeNull();
  expect(() => diagnosticsFromEnv({ MMATLAS_DIAGNOSTICS: "1", NODE_ENV: "production" })).toThrow(/production/);
  expect(() => diagnosticsFromEnv({ MMATLAS_DIAGNOSTICS: "1", MMATLAS_DIAGNOSTICS_MIN_MS: "soon" })).toThrow(/MIN_MS/);
  const d = diagnosticsFromEnv({ MMATLAS_DIAGNOSTICS: "1" });
  expect(d).not.toBeNull();
  d!.stop();
});

it("answers loopback addresses only", () => {
  expect(isLoopback("127.0.0.1")).toBe(true);
  expect(isLoopback("::1")).toBe(true);
  expect(isLoopback("::ffff:127.0.0.1")).toBe(true);
  expect(isLoopback("10.0.0.7")).toBe(false);
  expect(isLoopback(undefined)).toBe(false);
});

it("records a blocked loop, serves it over HTTP, passes other paths on, and forgets it on reset", async () => {
  const d = createDiagnostics(5);
  const server = http.createServer(
    d.wrap((_req, res) => {
      res.writeHead(200).end("app");
    }),
  );
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    await sleep(30);
    const until = Date.now() + 60;
    while (Date.now() < until) {
      /* block the loop for 60 ms */
    }
    await sleep(50);
    const w = (await (await fetch(`${base}/__diagnostics`)).json()) as DiagnosticsWindow;
    const block = w.events.find((e) => e.kind === "loop");
    expect(block?.ms).toBeGreaterThanOrEqual(40);
    expect(w.loopDelay.max).toBeGreaterThanOrEqual(40);
    expect(await (await fetch(`${base}/other`)).text()).toBe("app");
    expect((await fetch(`${base}/__diagnostics/reset`, { method: "POST" })).status).toBe(204);
    const after = (await (await fetch(`${base}/__diagnostics`)).json()) as DiagnosticsWindow;
    expect(after.events.some((e) => e.at === block!.at)).toBe(false);
    expect(after.since).toBeGreaterThanOrEqual(w.until);
    expect((await fetch(`${base}/__diagnostics/nothing`)).status).toBe(404);
  } finally {
    d.stop();
    await new Promise((r) => server.close(r));
  }
});

const pgUrl = process.env.TEST_DATABASE_URL;
(pgUrl ? it : it.skip)("times statements and waits for a pooled connection (PostgreSQL)", async () => {
  const d = createDiagnostics(0);
  const pool = new pg.Pool({ connectionString: pgUrl, max: 1 });
  d.instrumentPool(pool);
  try {
    await pool.query("select 1"); // the connection is opened (a wait of its own), then the window starts
    d.reset();
    await Promise.all([pool.query("select pg_sleep(0.05)"), pool.query({ name: "diag-test", text: "select 1" })]);
    const w = d.snapshot();
    expect(w.statements.count).toBe(2);
    const slow = w.events.find((e) => e.kind === "statement" && e.detail.includes("pg_sleep"));
    expect(slow?.ms).toBeGreaterThanOrEqual(45);
    expect(w.events.some((e) => e.kind === "statement" && e.detail === "diag-test")).toBe(true);
    // the second query waited for the only connection while the first slept
    expect(w.poolWaits.count).toBe(2);
    expect(w.poolWaits.maxMs).toBeGreaterThanOrEqual(45);
    expect(w.events.find((e) => e.detail === "diag-test")?.waitMs).toBeGreaterThanOrEqual(45);
    expect(slow!.ms - slow!.waitMs!).toBeGreaterThanOrEqual(45); // the sleeping statement itself did not wait
  } finally {
    d.stop();
    await pool.end();
  }
});
