// An open-loop HTTP load generator at a constant arrival rate: request i is due at start + i / rate, spread
// evenly over the run, and sent on one of `connections` keep-alive sockets; its latency counts from when it was
// due, so time spent waiting for a free socket (a server falling behind) is measured, not hidden (no
// coordinated omission). autocannon's `overallRate` instead gives each connection a per-second budget that
// every connection spends at the same instant, so "200 rps on 200 connections" arrives as one burst of 200
// requests each second.
import http from "node:http";
import { percentile } from "./report";

export interface OpenLoopOptions {
  url: string;
  rate: number;
  connections: number;
  durationS: number;
  body: () => string;
}

export interface OpenLoopResult {
  requests: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  errors: number;
  /** requests still unanswered when the run ended (counted as errors too) */
  unfinished: number;
  /** the generator's own lag: the longest delay from a request's due time to its sending (a stall in this
   *  process, e.g. its garbage collector, shows here and inflates the latencies above) */
  maxSendLagMs: number;
  /** the slowest requests: when each was due (epoch ms, comparable with the API's diagnostics) and its latency */
  slowest: { at: number; ms: number }[];
}

/** How many of the slowest requests a result lists. */
export const SLOWEST_LISTED = 20;

export async function openLoop(opts: OpenLoopOptions): Promise<OpenLoopResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections });
  const target = new URL(opts.url);
  const total = Math.round(opts.rate * opts.durationS);
  const latencies: number[] = [];
  const dueTimes: number[] = [];
  let errors = 0,
    finished = 0,
    maxSendLag = 0;
  const send = (due: number) =>
    new Promise<void>((resolve) => {
      maxSendLag = Math.max(maxSendLag, performance.now() - due);
      const payload = opts.body();
      const req = http.request(
        {
          agent,
          hostname: target.hostname,
          port: target.port,
          path: target.pathname,
          method: "POST",
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (c: string) => {
            text += c;
          });
          res.on("end", () => {
            latencies.push(performance.now() - due);
            dueTimes.push(due);
            if (res.statusCode !== 200 || text.startsWith('{"errors"')) errors++;
            finished++;
            resolve();
          });
        },
      );
      req.on("error", () => {
        errors++;
        finished++;
        resolve();
      });
      req.end(payload);
    });
  const start = performance.now() + 20;
  const pending: Promise<void>[] = [];
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < total && start + (next * 1000) / opts.rate <= now)
        pending.push(send(start + (next++ * 1000) / opts.rate));
      if (next >= total) return resolve();
      setTimeout(tick, Math.max(0, start + (next * 1000) / opts.rate - performance.now()));
    };
    tick();
  });
  const sentAll = performance.now();
  await Promise.race([Promise.all(pending), new Promise((r) => setTimeout(r, 10_000))]);
  agent.destroy();
  const elapsedS = (Math.max(sentAll, performance.now()) - start) / 1000;
  const unfinished = total - finished;
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    requests: latencies.length,
    rps: round(latencies.length / elapsedS),
    p50: round(percentile(latencies, 50)),
    p90: round(percentile(latencies, 90)),
    p99: round(percentile(latencies, 99)),
    max: round(Math.max(0, ...latencies)),
    errors: errors + unfinished,
    unfinished,
    maxSendLagMs: round(maxSendLag),
    slowest: latencies
      .map((ms, i) => ({ at: Math.round(performance.timeOrigin + dueTimes[i]), ms: round(ms) }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, SLOWEST_LISTED),
  };
}
