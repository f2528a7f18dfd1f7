// CPU time and resident memory of a process (Linux /proc), and the node process a tsx wrapper runs.
import { readFileSync, readdirSync } from "node:fs";

const CLK_TCK = 100;

/** user+system CPU seconds of a process */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** resident set size in bytes */
export function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** the first child process of `pid` (tsx runs the real node process as its child), or pid itself */
export function innerProcess(pid: number): number {
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const kids = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
      if (kids.length) return Number(kids[0]);
    }
  } catch {
    /* not Linux or gone */
  }
  return pid;
}
