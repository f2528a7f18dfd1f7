// A one-line terminal progress bar for jobs: bar, percent, phase, examples/s and ETA, redrawn in place on a
// TTY (plain lines at most every 2 s otherwise, e.g. in CI logs).
import type { JobProgress } from "@mmatlas/builder";

const WIDTH = 28;

export function formatSeconds(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return "--";
  const m = Math.floor(s / 60),
    r = Math.round(s % 60);
  return m > 0 ? `${m}m${String(r).padStart(2, "0")}s` : `${r}s`;
}

export function renderProgress(p: JobProgress): string {
  const filled = Math.round(Math.max(0, Math.min(1, p.progress)) * WIDTH);
  const bar = "█".repeat(filled) + "░".repeat(WIDTH - filled);
  const eps = p.examplesPerSecond === null ? "-- ex/s" : `${p.examplesPerSecond.toFixed(0)} ex/s`;
  return `${bar} ${(p.progress * 100).toFixed(1).padStart(5)}%  ${p.phase.padEnd(8)} ${p.examplesDone}/${p.examplesTotal} examples  ${eps}  ETA ${formatSeconds(p.etaSeconds)}${p.message ? `  ${p.message}` : ""}`;
}

export function createProgressPrinter(stream: NodeJS.WriteStream = process.stderr): {
  update(p: JobProgress): void;
  done(): void;
} {
  let last = 0;
  let drawn = false;
  return {
    update(p) {
      const line = renderProgress(p);
      if (stream.isTTY) {
        stream.write(`\r\x1b[2K${line.slice(0, (stream.columns ?? 160) - 1)}`);
        drawn = true;
      } else if (Date.now() - last > 2000 || p.status !== "RUNNING") {
        stream.write(`${line}\n`);
        last = Date.now();
      }
    },
    done() {
      if (drawn) stream.write("\n");
      drawn = false;
    },
  };
}
