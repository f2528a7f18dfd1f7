// A build's accumulators in worker threads, so its statistics, top-k, quantiles and head statistics use more cores
// than the main thread (BUILD_ACCUMULATOR_WORKERS: "auto" by default, workers for real-size models only; see
// accumulatorWorkers). Each set (unit set or attention hook) lives in one worker, the sets spread so that each worker
// gets about the same number of values per example; a batch's tensors are transferred (not
// copied) to their workers, which feed them in order while the main thread reads and infers the next batch.
// settle() waits for every batch sent so far (the pass calls it before it sends the next batch, so at most one batch
// is in flight, and before a checkpoint); a worker's error (an AtlasError such as NON_FINITE keeps its code) rejects
// there. snapshots("copy") gives checkpoint copies; collect() brings the live states back for finalize and ends the
// workers. The worker's code (accumulator-worker.ts) is bundled with esbuild once per process and run from memory,
// so it works the same under node, tsx and jest.
import { existsSync } from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { buildSync } from "esbuild";
import { buffersOf, fromWire, type CheckpointEntry, type WireError } from "./accumulator-wire";
import { HeadState, type HeadLayout } from "./head-state";
import type { SetState } from "./run-batch";
import { UnitSetState } from "./unit-set-state";

export type { CheckpointEntry } from "./accumulator-wire";

/**
 * A set the pool should own: its key and kind, its shape (units × positions; heads: heads × sequence length) and
 * its state from a checkpoint or what a fresh unit set needs.
 */
export interface PooledSet {
  key: string;
  kind: "units" | "heads";
  units: number;
  positions: number;
  start: { restore: SetState } | { k: number; seed: number };
}

/** How a batch of a set's tensor goes to its worker (AccumulatorPool.add). */
export interface PooledBatch {
  /** real positions per example (text) */
  valid?: number[];
  /** move the tensor's buffer (default true) or send a copy */
  transfer?: boolean;
  /** an attention hook's head layout */
  layout?: HeadLayout;
  /** positions per example in the tensor (heads: sequence length), when fewer than the set's */
  positions?: number;
}

/** values per example a set is fed (heads: a pattern per head) */
function valuesPerExample(s: PooledSet): number {
  return s.kind === "heads" ? s.units * s.positions * s.positions : s.units * s.positions;
}

interface Pending {
  resolve(value: unknown): void;
  reject(e: Error): void;
}

let bundled: string | null = null;

/** Workers could not be started (their code could not be bundled, or a thread not spawned); nothing was moved yet. */
export class AccumulatorWorkersUnavailable extends Error {
  constructor(cause: unknown) {
    super(`accumulator workers unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "AccumulatorWorkersUnavailable";
  }
}

/** The worker's code: accumulator-worker.ts and what it imports, bundled (once per process) into one CJS script. */
function workerCode(): string {
  if (bundled) return bundled;
  const root = path.resolve(__dirname, "../../../..");
  const entry = ["accumulator-worker.ts", "accumulator-worker.js"]
    .map((f) => path.join(__dirname, f))
    .find((f) => existsSync(f));
  if (!entry) throw new Error(`no accumulator-worker.ts or .js in ${__dirname}`);
  const out = buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    write: false,
    absWorkingDir: root,
    tsconfig: path.join(root, "tsconfig.base.json"),
    logLevel: "silent",
  });
  return (bundled = out.outputFiles[0].text);
}

/**
 * Unit-set values per example (in the larger tower) from which "auto" starts workers: a ViT-B/32's 12 MLP layers hold
 * 1.8 M per image, where 2 workers made the pass 1.2× faster on 2 cores; the built-in model's 17 k gained nothing
 * measurable (docs/benchmarks.md).
 */
export const AUTO_WORKERS_MIN_VALUES = 500_000;
/** the most workers "auto" starts */
export const AUTO_WORKERS_MAX = 4;

/** unset, empty or "auto" */
function isAuto(raw: string | undefined): boolean {
  return raw === undefined || raw === "" || raw === "auto";
}

/**
 * How many accumulator workers a build uses. BUILD_ACCUMULATOR_WORKERS: an integer N (0: none) or "auto" (the
 * default when unset): min(AUTO_WORKERS_MAX, cores) when the unit sets hold ≥ AUTO_WORKERS_MIN_VALUES values per
 * example, else 0.
 */
export function accumulatorWorkers(
  valuesPerExample: number,
  cores: number,
  env: NodeJS.ProcessEnv = process.env,
): number {
  const raw = env.BUILD_ACCUMULATOR_WORKERS;
  if (isAuto(raw))
    return valuesPerExample >= AUTO_WORKERS_MIN_VALUES ? Math.max(1, Math.min(AUTO_WORKERS_MAX, cores)) : 0;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 64)
    throw new Error(`BUILD_ACCUMULATOR_WORKERS must be "auto" or an integer in [0, 64], got "${raw}"`);
  return n;
}

/** True when BUILD_ACCUMULATOR_WORKERS names a number (not "auto" or unset). */
export function accumulatorWorkersRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return !isAuto(env.BUILD_ACCUMULATOR_WORKERS);
}

class AccumulatorWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | null = null;
  /** worker milliseconds spent in add, summed */
  addMs = 0;

  constructor(code: string) {
    this.worker = new Worker(code, { eval: true });
    this.worker.on("message", (msg: { id: number; result?: unknown; ms?: number; error?: WireError }) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ms) this.addMs += msg.ms;
      if (msg.error) p.reject(fromWire(msg.error));
      else p.resolve(msg.result);
    });
    this.worker.on("error", (e) => this.fail(new Error(`accumulator worker crashed: ${e.message}`)));
    this.worker.once("exit", (code) => this.fail(new Error(`accumulator worker exited (code ${code})`)));
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
  }

  call(message: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id }, transfer);
    });
  }

  async terminate(): Promise<void> {
    this.failure ??= new Error("accumulator worker was closed");
    await this.worker.terminate();
  }
}

export class AccumulatorPool {
  private readonly workers: AccumulatorWorker[];
  private readonly owner = new Map<string, AccumulatorWorker>();
  private readonly shapes = new Map<string, PooledSet>();
  private inFlight: Promise<unknown>[] = [];

  private constructor(count: number) {
    try {
      const code = workerCode();
      this.workers = Array.from({ length: count }, () => new AccumulatorWorker(code));
    } catch (e) {
      throw new AccumulatorWorkersUnavailable(e);
    }
  }

  /**
   * Starts `count` workers and hands them the sets (largest first, each to the least-loaded worker). A restored
   * state's buffers are transferred: the caller's state must not be used afterwards. Throws
   * AccumulatorWorkersUnavailable, before anything moved, when the workers cannot start.
   */
  static async start(count: number, sets: PooledSet[]): Promise<AccumulatorPool> {
    const pool = new AccumulatorPool(Math.max(1, Math.min(count, sets.length)));
    const load = pool.workers.map(() => 0);
    const calls: Promise<unknown>[] = [];
    try {
      for (const s of [...sets].sort((a, b) => valuesPerExample(b) - valuesPerExample(a))) {
        const i = load.indexOf(Math.min(...load));
        load[i] += valuesPerExample(s);
        const w = pool.workers[i];
        pool.owner.set(s.key, w);
        pool.shapes.set(s.key, s);
        const shape = { key: s.key, units: s.units, positions: s.positions };
        if ("restore" in s.start) {
          // the live buffers move to the worker, which adopts them: nothing is copied
          const held = s.start.restore;
          const state: CheckpointEntry =
            held.kind === "heads"
              ? { kind: "heads", snapshot: held.state.snapshot() }
              : { kind: "units", snapshot: held.state.snapshot("share") };
          calls.push(w.call({ op: "restore", ...shape, state }, [...buffersOf(state)]));
        } else calls.push(w.call({ op: "create", ...shape, kind: s.kind, ...s.start }));
      }
      await Promise.all(calls);
    } catch (e) {
      await pool.close();
      throw e;
    }
    return pool;
  }

  get size(): number {
    return this.workers.length;
  }

  owns(key: string): boolean {
    return this.owner.has(key);
  }

  /**
   * Sends one batch of a set's tensor to its worker (`batch`: as UnitSetState.add / HeadState.add take it). With
   * `transfer` (the default) the tensor's buffer moves there and is detached here, so nothing else may read it
   * (feedSets transfers only buffers no other set reads); a tensor that is a view into a larger buffer, or
   * `transfer: false`, goes as a copy. settle() waits for it.
   */
  add(key: string, exampleIds: number[], values: Float32Array, batch: PooledBatch = {}): void {
    const { valid, transfer = true, layout, positions } = batch;
    const w = this.owner.get(key);
    if (!w) throw new Error(`no accumulator worker owns ${key}`);
    const whole =
      transfer &&
      values.buffer instanceof ArrayBuffer &&
      values.byteOffset === 0 &&
      values.byteLength === values.buffer.byteLength;
    const data = whole ? values : values.slice();
    const call = w.call({ op: "add", key, exampleIds, values: data, valid, layout, positions }, [
      data.buffer as ArrayBuffer,
    ]);
    call.catch(() => undefined); // rejected calls surface in settle()
    this.inFlight.push(call);
  }

  /** Waits until every batch sent so far is fed; rethrows the first error a worker met. */
  async settle(): Promise<void> {
    const calls = this.inFlight;
    this.inFlight = [];
    await Promise.all(calls);
  }

  /** Worker milliseconds spent feeding batches, summed over workers (they overlap the main thread and each other). */
  addMilliseconds(): number {
    return this.workers.reduce((n, w) => n + w.addMs, 0);
  }

  /** Copies of every pooled state as checkpoint entries (mid-pass checkpoints), after the batches sent so far. */
  async snapshots(): Promise<Record<string, CheckpointEntry>> {
    await this.settle();
    const parts = (await Promise.all(this.workers.map((w) => w.call({ op: "snapshot", mode: "copy" })))) as Record<
      string,
      CheckpointEntry
    >[];
    return Object.assign({}, ...parts) as Record<string, CheckpointEntry>;
  }

  /**
   * The live states, back on this thread (end of the pass), one set at a time; their transferred buffers become the
   * states' own (no copy); the workers end.
   */
  async collect(): Promise<Map<string, SetState>> {
    await this.settle();
    const out = new Map<string, SetState>();
    try {
      for (const [key, w] of this.owner) {
        const part = (await w.call({ op: "snapshot", mode: "share", keys: [key] })) as Record<string, CheckpointEntry>;
        const entry = part[key];
        const { units, positions } = this.shapes.get(key)!;
        out.set(
          key,
          entry.kind === "heads"
            ? { kind: "heads", state: HeadState.restore(entry.snapshot, units, positions) }
            : { kind: "units", state: UnitSetState.restore(entry.snapshot, "adopt") }, // transferred: ours alone
        );
      }
    } finally {
      await this.close();
    }
    return out;
  }

  /** Ends the workers (pending calls reject). */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
