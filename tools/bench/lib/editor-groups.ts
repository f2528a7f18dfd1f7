// Parent side of the collab benchmark's editor processes (collab-editors.ts): spreads N editors over P child
// processes, waits until all are synced, asks one editor at a time to write, and collects send / arrival
// times (epoch ms, comparable across processes) to compute update propagation latencies.
// COLLAB_DUMP=file writes the raw send and arrival times there (JSON) for a closer look.
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { REPO_ROOT } from "./report";

type Arrival = [seq: number, receivedAt: number, appliedAt: number];
interface Report {
  arrivals: Arrival[];
  cpuMs: number;
}
interface Group {
  child: ChildProcess;
  first: number;
  count: number;
  sent: Map<number, number>;
  done: Promise<Report>;
}

export interface EditorGroups {
  /** Editor `index` (0..editors-1) writes sequence number `seq` (negative: a warm-up change, not counted). */
  edit(index: number, seq: number): void;
  /** Latencies (ms) from each send to its arrival at every other editor (at its socket; in its Y.Doc); stops the processes. */
  finish(): Promise<{ received: number[]; applied: number[]; clientCpuMs: number }>;
}

export async function startEditorGroups(opts: {
  collabUrl: string;
  unit: string;
  tokens: string[];
  editors: number;
  processes: number;
}): Promise<EditorGroups> {
  const tsx = path.join(REPO_ROOT, "node_modules", ".bin", "tsx");
  const per = Math.ceil(opts.editors / opts.processes);
  const groups: Group[] = [];
  for (let first = 0; first < opts.editors; first += per) {
    const count = Math.min(per, opts.editors - first);
    const child = spawn(tsx, ["--tsconfig", "tsconfig.base.json", "tools/bench/lib/collab-editors.ts"], {
      cwd: REPO_ROOT,
      stdio: ["pipe", "pipe", "inherit"],
      env: {
        ...process.env,
        COLLAB_URL: opts.collabUrl,
        UNIT: opts.unit,
        TOKENS: JSON.stringify(opts.tokens),
        EDITORS: String(count),
        FIRST: String(first),
      },
    });
    const sent = new Map<number, number>();
    let resolveDone!: (r: Report) => void;
    const done = new Promise<Report>((r) => {
      resolveDone = r;
    });
    let resolveReady!: () => void;
    const ready = new Promise<void>((r) => {
      resolveReady = r;
    });
    readline.createInterface({ input: child.stdout! }).on("line", (line) => {
      const msg = JSON.parse(line) as { type: string; seq?: number; t?: number; data?: Arrival[]; cpuMs?: number };
      if (msg.type === "ready") resolveReady();
      else if (msg.type === "sent") sent.set(msg.seq!, msg.t!);
      else if (msg.type === "arrivals") resolveDone({ arrivals: msg.data!, cpuMs: msg.cpuMs ?? 0 });
    });
    groups.push({ child, first, count, sent, done });
    await Promise.race([
      ready,
      new Promise((_, reject) =>
        setTimeout(
          () => reject(new Error(`editor process ${first}..${first + count - 1} not synced in 120 s`)),
          120_000,
        ).unref(),
      ),
    ]);
  }
  const owner = (index: number) => groups.find((g) => index >= g.first && index < g.first + g.count)!;
  return {
    edit(index, seq) {
      const g = owner(index);
      g.child.stdin!.write(`${JSON.stringify({ type: "edit", seq, local: index - g.first })}\n`);
    },
    async finish() {
      for (const g of groups) g.child.stdin!.write(`${JSON.stringify({ type: "report" })}\n`);
      const reports = await Promise.all(groups.map((g) => g.done));
      const arrivals = reports.flatMap((r) => r.arrivals);
      const sentAt = new Map(groups.flatMap((g) => [...g.sent]));
      const known = arrivals.filter(([seq]) => seq >= 0 && sentAt.has(seq));
      if (process.env.COLLAB_DUMP)
        writeFileSync(process.env.COLLAB_DUMP, JSON.stringify({ sent: [...sentAt], arrivals: known }));
      return {
        received: known.map(([seq, r]) => r - sentAt.get(seq)!),
        applied: known.map(([seq, , a]) => a - sentAt.get(seq)!),
        clientCpuMs: reports.reduce((acc, r) => acc + r.cpuMs, 0),
      };
    },
  };
}
