// Parent side of the collab benchmark's editor processes (collab-editors.ts): spreads N editors over P child
// processes, waits until all are synced, asks one editor at a time to write, and collects send / arrival
// times (epoch ms, comparable across processes) to compute update propagation latencies.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import { REPO_ROOT } from "./report";

interface Group { child: ChildProcess; first: number; count: number; sent: Map<number, number>; done: Promise<[number, number][]> }

export interface EditorGroups {
  /** Editor `index` (0..editors-1) writes sequence number `seq`. */
  edit(index: number, seq: number): void;
  /** Latencies (ms) from each send to its arrival at every other editor; stops the processes. */
  finish(): Promise<number[]>;
}

export async function startEditorGroups(opts: { collabUrl: string; unit: string; tokens: string[]; editors: number; processes: number }): Promise<EditorGroups> {
  const tsx = path.join(REPO_ROOT, "node_modules", ".bin", "tsx");
  const per = Math.ceil(opts.editors / opts.processes);
  const groups: Group[] = [];
  for (let first = 0; first < opts.editors; first += per) {
    const count = Math.min(per, opts.editors - first);
    const child = spawn(tsx, ["--tsconfig", "tsconfig.base.json", "tools/bench/lib/collab-editors.ts"], {
      cwd: REPO_ROOT, stdio: ["pipe", "pipe", "inherit"],
      env: { ...process.env, COLLAB_URL: opts.collabUrl, UNIT: opts.unit, TOKENS: JSON.stringify(opts.tokens), EDITORS: String(count), FIRST: String(first) },
    });
    const sent = new Map<number, number>();
    let resolveDone!: (a: [number, number][]) => void;
    const done = new Promise<[number, number][]>((r) => { resolveDone = r; });
    let resolveReady!: () => void;
    const ready = new Promise<void>((r) => { resolveReady = r; });
    readline.createInterface({ input: child.stdout! }).on("line", (line) => {
      const msg = JSON.parse(line) as { type: string; seq?: number; t?: number; data?: [number, number][] };
      if (msg.type === "ready") resolveReady();
      else if (msg.type === "sent") sent.set(msg.seq!, msg.t!);
      else if (msg.type === "arrivals") resolveDone(msg.data!);
    });
    groups.push({ child, first, count, sent, done });
    await Promise.race([ready, new Promise((_, reject) => setTimeout(() => reject(new Error(`editor process ${first}..${first + count - 1} not synced in 120 s`)), 120_000).unref())]);
  }
  const owner = (index: number) => groups.find((g) => index >= g.first && index < g.first + g.count)!;
  return {
    edit(index, seq) {
      const g = owner(index);
      g.child.stdin!.write(`${JSON.stringify({ type: "edit", seq, local: index - g.first })}\n`);
    },
    async finish() {
      for (const g of groups) g.child.stdin!.write(`${JSON.stringify({ type: "report" })}\n`);
      const arrivals = (await Promise.all(groups.map((g) => g.done))).flat();
      const sentAt = new Map(groups.flatMap((g) => [...g.sent]));
      return arrivals.flatMap(([seq, t]) => (sentAt.has(seq) ? [t - sentAt.get(seq)!] : []));
    },
  };
}
