// Runtime diagnostics for benchmarks, off unless MMATLAS_DIAGNOSTICS=1 (and never with NODE_ENV=production):
// the event loop's delay (perf_hooks.monitorEventLoopDelay), and a timeline of what can stall a request: loop
// blocks (a 10 ms timer that fires late), GC pauses (PerformanceObserver 'gc'), slow SQL statements and waits for
// a pooled connection (timed at the node-postgres pool under Prisma and the named statements). Served as JSON
// to loopback clients only: GET /__diagnostics (the window since the last reset), POST /__diagnostics/reset.
// Times are epoch milliseconds, so a benchmark can line its slowest requests up with the events.
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import {
  constants,
  monitorEventLoopDelay,
  performance,
  PerformanceObserver,
  type IntervalHistogram,
} from "node:perf_hooks";
import type pg from "pg";

export const DIAGNOSTICS_PATH = "/__diagnostics";

export type StallKind = "gc" | "loop" | "statement" | "pool-wait";

/** Something that held requests up: when it started (epoch ms), how long, and what it was. */
export interface StallEvent {
  kind: StallKind;
  at: number;
  ms: number;
  detail: string;
  /** statements: the part of `ms` spent waiting for a pooled connection */
  waitMs?: number;
}

export interface DiagnosticsWindow {
  since: number;
  until: number;
  /** event-loop delay over the window (ms) */
  loopDelay: { mean: number; p50: number; p99: number; max: number };
  gc: {
    count: number;
    totalMs: number;
    maxMs: number;
    byKind: Record<string, { count: number; totalMs: number; maxMs: number }>;
  };
  statements: { count: number; slow: number; maxMs: number };
  poolWaits: { count: number; maxMs: number };
  /** the events at or above the thresholds, longest first (at most MAX_EVENTS) */
  events: StallEvent[];
}

export interface Diagnostics {
  snapshot(): DiagnosticsWindow;
  reset(): void;
  /** times the pool's connection waits and statements */
  instrumentPool(pool: pg.Pool): void;
  /** `handler` with the diagnostics routes in front (loopback clients only) */
  wrap(handler: RequestListener): RequestListener;
  stop(): void;
}

const MAX_EVENTS = 2000;
const LOOP_TICK_MS = 10;

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: "minor (scavenge)",
  [constants.NODE_PERFORMANCE_GC_MAJOR]: "major (mark-sweep-compact)",
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: "incremental marking",
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: "weak callbacks",
};

/** MMATLAS_DIAGNOSTICS=1 outside production; thresholds (ms) from MMATLAS_DIAGNOSTICS_MIN_MS (default 5). */
export function diagnosticsFromEnv(env: NodeJS.ProcessEnv = process.env): Diagnostics | null {
  if (env.MMATLAS_DIAGNOSTICS !== "1") return null;
  if (env.NODE_ENV === "production") throw new Error("MMATLAS_DIAGNOSTICS=1 is refused with NODE_ENV=production");
  const min = Number(env.MMATLAS_DIAGNOSTICS_MIN_MS ?? 5);
  if (!Number.isFinite(min) || min < 0)
    throw new Error(`MMATLAS_DIAGNOSTICS_MIN_MS must be a non-negative number, got ${env.MMATLAS_DIAGNOSTICS_MIN_MS}`);
  return createDiagnostics(min);
}

const epoch = (perfMs: number) => performance.timeOrigin + perfMs;
const round = (x: number) => Math.round(x * 100) / 100;

export function isLoopback(address: string | undefined): boolean {
  return address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1";
}

export function createDiagnostics(minMs: number): Diagnostics {
  let since = Date.now();
  let events: StallEvent[] = [];
  let gc = { count: 0, totalMs: 0, maxMs: 0, byKind: {} as DiagnosticsWindow["gc"]["byKind"] };
  let statements = { count: 0, slow: 0, maxMs: 0 };
  let poolWaits = { count: 0, maxMs: 0 };
  const add = (e: StallEvent) => {
    if (e.ms < minMs) return;
    if (events.length >= MAX_EVENTS) {
      events.sort((a, b) => b.ms - a.ms);
      events.length = MAX_EVENTS / 2;
    }
    events.push({ ...e, ms: round(e.ms), ...(e.waitMs === undefined ? {} : { waitMs: round(e.waitMs) }) });
  };

  const histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();

  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = GC_KINDS[(entry as unknown as { detail?: { kind?: number } }).detail?.kind ?? -1] ?? "other";
      gc.count++;
      gc.totalMs += entry.duration;
      gc.maxMs = Math.max(gc.maxMs, entry.duration);
      const k = (gc.byKind[kind] ??= { count: 0, totalMs: 0, maxMs: 0 });
      k.count++;
      k.totalMs += entry.duration;
      k.maxMs = Math.max(k.maxMs, entry.duration);
      add({ kind: "gc", at: epoch(entry.startTime), ms: entry.duration, detail: kind });
    }
  });
  observer.observe({ entryTypes: ["gc"] });

  // a timer that should fire every LOOP_TICK_MS: when it fires late, the loop was blocked meanwhile
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    const late = now - last - LOOP_TICK_MS;
    if (late >= minMs) add({ kind: "loop", at: epoch(last + LOOP_TICK_MS), ms: late, detail: "timer fired late" });
    last = now;
  }, LOOP_TICK_MS);
  ticker.unref();

  const snapshot = (): DiagnosticsWindow => {
    const ms = (ns: number) => round(ns / 1e6);
    return {
      since,
      until: Date.now(),
      loopDelay: {
        mean: ms(histogram.mean),
        p50: ms(histogram.percentile(50)),
        p99: ms(histogram.percentile(99)),
        max: ms(histogram.max),
      },
      gc: {
        count: gc.count,
        totalMs: round(gc.totalMs),
        maxMs: round(gc.maxMs),
        byKind: Object.fromEntries(
          Object.entries(gc.byKind).map(([k, v]) => [
            k,
            { count: v.count, totalMs: round(v.totalMs), maxMs: round(v.maxMs) },
          ]),
        ),
      },
      statements: { ...statements, maxMs: round(statements.maxMs) },
      poolWaits: { ...poolWaits, maxMs: round(poolWaits.maxMs) },
      events: [...events].sort((a, b) => b.ms - a.ms),
    };
  };

  const reset = () => {
    since = Date.now();
    events = [];
    gc = { count: 0, totalMs: 0, maxMs: 0, byKind: {} };
    statements = { count: 0, slow: 0, maxMs: 0 };
    poolWaits = { count: 0, maxMs: 0 };
    histogram.reset();
  };

  const instrumentPool = (pool: pg.Pool) => {
    type Callback = (err: Error | undefined, client: pg.PoolClient | undefined, release: (e?: unknown) => void) => void;
    const connect = pool.connect.bind(pool) as (cb?: Callback) => Promise<pg.PoolClient> | undefined;
    // pool.query asks for a connection synchronously: the statement being sent, so its wait can be told apart
    let asking: { acquiredAt?: number } | null = null;
    const waited = (t0: number, state: string) => {
      const ms = performance.now() - t0;
      poolWaits.count++;
      poolWaits.maxMs = Math.max(poolWaits.maxMs, ms);
      add({ kind: "pool-wait", at: epoch(t0), ms, detail: state });
    };
    (pool as unknown as { connect: (cb?: Callback) => unknown }).connect = (cb?: Callback) => {
      const t0 = performance.now();
      const state = `idle ${pool.idleCount}, total ${pool.totalCount}, waiting ${pool.waitingCount} when asked`;
      const statement = asking;
      asking = null;
      if (cb)
        return connect((err, client, release) => {
          waited(t0, state);
          if (statement) statement.acquiredAt = performance.now();
          cb(err, client, release);
        });
      return connect()!.then((client) => {
        waited(t0, state);
        return client;
      });
    };
    const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
    (pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const t0 = performance.now();
      const config = args[0] as string | { text?: string; name?: string };
      const own: { acquiredAt?: number } = {};
      asking = own;
      let result: unknown;
      try {
        result = query(...args);
      } finally {
        asking = null;
      }
      if (result && typeof (result as Promise<unknown>).then === "function") {
        const done = () => {
          const ms = performance.now() - t0;
          statements.count++;
          statements.maxMs = Math.max(statements.maxMs, ms);
          if (ms >= minMs) statements.slow++;
          const text = typeof config === "string" ? config : (config?.name ?? config?.text ?? "?");
          add({
            kind: "statement",
            at: epoch(t0),
            ms,
            waitMs: own.acquiredAt === undefined ? 0 : own.acquiredAt - t0,
            detail: text.replace(/\s+/g, " ").slice(0, 120),
          });
        };
        (result as Promise<unknown>).then(done, done);
      }
      return result;
    };
  };

  const wrap =
    (handler: RequestListener): RequestListener =>
    (req: IncomingMessage, res: ServerResponse) => {
      const url = req.url ?? "";
      if (url !== DIAGNOSTICS_PATH && !url.startsWith(`${DIAGNOSTICS_PATH}/`)) return handler(req, res);
      if (!isLoopback(req.socket.remoteAddress)) {
        res.writeHead(404).end();
        return;
      }
      if (req.method === "GET" && url === DIAGNOSTICS_PATH) {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(snapshot()));
      } else if (req.method === "POST" && url === `${DIAGNOSTICS_PATH}/reset`) {
        reset();
        res.writeHead(204).end();
      } else {
        res.writeHead(404).end();
      }
    };

  return {
    snapshot,
    reset,
    instrumentPool,
    wrap,
    stop() {
      clearInterval(ticker);
      observer.disconnect();
      histogram.disable();
    },
  };
}
