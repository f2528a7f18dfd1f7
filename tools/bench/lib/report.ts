// Benchmark output: prints a table to stdout and writes the figures (plus machine context: cores, load,
// memory, node version, git commit) to artifacts/bench/<name>.json; percentile helpers for the figures.
import { execSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

export type Row = Record<string, string | number | null>;

export function machineContext() {
  let commit = "unknown";
  try {
    commit = execSync("git rev-parse --short HEAD", { cwd: REPO_ROOT }).toString().trim();
  } catch {
    /* not a git checkout */
  }
  return {
    at: new Date().toISOString(),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    totalMemGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    loadavg: os.loadavg().map((l) => +l.toFixed(2)),
    node: process.version,
    commit,
  };
}

export function printTable(title: string, rows: Row[]): void {
  if (!rows.length) {
    console.log(`${title}: no rows`);
    return;
  }
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: Row[string]) =>
    v == null ? "-" : typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : v;
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padStart(widths[i])).join("  ");
  console.log(`\n${title}`);
  console.log(line(cols));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(line(cols.map((c) => cell(r[c]))));
}

/** Writes artifacts/bench/<name>.json and returns its path. */
export function writeReport(name: string, data: Record<string, unknown>): string {
  const dir = path.join(REPO_ROOT, "artifacts", "bench");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ bench: name, machine: machineContext(), ...data }, null, 2));
  console.log(
    `\nwrote ${path.relative(REPO_ROOT, file)} (load average at end: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")})`,
  );
  return file;
}

/** p-th percentile (0..100) of unsorted samples, nearest-rank method. */
export function percentile(samples: number[], p: number): number {
  if (!samples.length) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** q-quantile (0..1) of samples sorted ascending, interpolating linearly between the two nearest ranks. */
export function quantile(sorted: number[], q: number): number {
  const i = (sorted.length - 1) * q,
    lo = Math.floor(i),
    hi = Math.ceil(i);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (i - lo);
}
