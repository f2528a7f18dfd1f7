// Runs one tower (image or text ONNX graph) in batches with hook points exposed, SAEs fused in and an optional
// intervention; rewritten sessions are cached per (hook set, SAEs, intervention site, execution provider).
import { readFileSync } from "node:fs";
import * as ort from "onnxruntime-node";
import { InferenceError, isInferenceError } from "../errors";
import type { HookPointSpec, Tower } from "../manifest/types";
import { appendSaeEncoder, saeGraphOutputs, type SaeGraphOutput } from "../onnx/append-sae-encoder";
import {
  createSessionWithFallback,
  type ExecutionProviderName,
  type Logger,
  type SessionTuning,
} from "../onnx/execution-provider";
import { assertTensorsExist, exposeTensors } from "../onnx/expose-tensors";
import { insertIntervention, interventionPorts } from "../onnx/insert-intervention";
import { sessionGraph } from "../onnx/file-weights";
import { decodeModel, graphInputs, graphOutputNames, type GraphInputInfo } from "../onnx/model";
import { topKPerRow, type Sae } from "../sae";
import { closeNamesHint } from "../util/close-names";
import { checkDims } from "./check-shape";
import { interventionFeeds } from "./intervention";
import { declaredAt, padAxes, untrimmedDims } from "./trim-positions";
import type { Intervention, RunResult, SaeOutput, TensorOutput, TextPositions } from "./types";
import { sessionCapacity } from "./session-capacity";
import { createWorkerSessionWithFallback, OrtWorker, type PlainTensor } from "./worker-session";

export interface TowerSpec {
  tower: Tower;
  onnxPath: string;
  input: string;
  output: string;
  embedDim: number;
  hooks: HookPointSpec[];
  /** Graph inputs the caller feeds besides `input` (e.g. the eos position). */
  extraInputs?: string[];
}

export interface TowerSettings {
  ep: ExecutionProviderName;
  tuning: SessionTuning;
  log: Logger;
  maxSessions: number;
  /** bytes of cached sessions per tower, counted as the graph's size per session (see session-capacity.ts) */
  maxSessionBytes: number;
  /** Run this tower's sessions in a worker thread (see worker-session.ts), so inference overlaps main-thread JS. */
  sessionsInWorker?: boolean;
}

export interface SaeAttachment {
  name: string;
  sae: Sae;
  hook: HookPointSpec;
}

export interface TowerRunOptions {
  batchSize: number;
  saes: SaeAttachment[];
  saeTopK?: number;
  saeOutput?: "dense" | "sparse";
  intervention?: Intervention;
  /**
   * Inputs with a sequence axis the graph leaves free (a text tower): each batch may run at `needed(start, count)`
   * of the `full` positions, its outputs zero-padded back to `full` (see trim-positions.ts), or with keep "longest"
   * to the call's longest row, `needed(0, total)`.
   */
  sequence?: { full: number; keep?: TextPositions; needed(start: number, count: number): number };
}

/** Builds the feeds (besides intervention ports) for rows [start, start+count), at `length` positions if given. */
export type FeedBuilder = (
  start: number,
  count: number,
  inputs: Map<string, GraphInputInfo>,
  length?: number,
) => Record<string, ort.Tensor>;

/** Whether short text batches run at their own length: untried, checked against a full-length run, or refused. */
type TrimState = "untried" | "checked" | "refused";

/** What TowerRunner uses of a session: an in-thread ort.InferenceSession or a WorkerSession. */
interface RunnableSession {
  run(feeds: Record<string, ort.Tensor>, fetchNames: string[]): Promise<Record<string, PlainTensor>>;
  release(): Promise<void>;
}

interface CachedSession {
  session: RunnableSession;
  ep: ExecutionProviderName;
  /** runs using the session now: an evicted session is released when the last one ends */
  busy: number;
  evicted: boolean;
}

export class TowerRunner {
  readonly spec: TowerSpec;
  readonly inputs: Map<string, GraphInputInfo>;
  private readonly bytes: Uint8Array;
  private readonly settings: TowerSettings;
  private readonly sessions = new Map<string, Promise<CachedSession>>();
  /** The worker thread holding this tower's sessions when settings.sessionsInWorker (started on first use). */
  private worker: OrtWorker | undefined;
  /** Provider the most recent session actually runs on. */
  activeEp: ExecutionProviderName | undefined;
  /** Set by the first batch that runs at fewer positions than the full sequence (see run). */
  private trim: TrimState = "untried";

  private constructor(spec: TowerSpec, bytes: Uint8Array, inputs: GraphInputInfo[], settings: TowerSettings) {
    this.spec = spec;
    this.bytes = bytes;
    this.inputs = new Map(inputs.map((i) => [i.name, i]));
    this.settings = settings;
  }

  /** Reads and checks the ONNX file: input/output names and every hook tensor must exist (BAD_MODEL otherwise). */
  static open(spec: TowerSpec, settings: TowerSettings): TowerRunner {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(spec.onnxPath);
    } catch (e) {
      throw new InferenceError("BAD_MODEL", `cannot read ${spec.onnxPath}: ${(e as Error).message}`, { cause: e });
    }
    const model = decodeModel(bytes, spec.onnxPath);
    const inputs = graphInputs(model);
    const inputNames = inputs.map((i) => i.name);
    for (const name of [spec.input, ...(spec.extraInputs ?? [])])
      if (!inputNames.includes(name))
        throw new InferenceError(
          "BAD_MODEL",
          `${spec.onnxPath}: graph has no input "${name}" (inputs: ${inputNames.join(", ")})`,
        );
    const fed = new Set([spec.input, ...(spec.extraInputs ?? [])]);
    const unfed = inputNames.filter((n) => !fed.has(n));
    if (unfed.length)
      throw new InferenceError(
        "BAD_MODEL",
        `${spec.onnxPath}: graph inputs ${unfed.join(", ")} are not described by the manifest`,
      );
    const outputs = graphOutputNames(model);
    if (!outputs.includes(spec.output))
      throw new InferenceError(
        "BAD_MODEL",
        `${spec.onnxPath}: graph has no output "${spec.output}"${closeNamesHint(spec.output, outputs)}`,
      );
    try {
      assertTensorsExist(
        model,
        spec.hooks.map((h) => h.tensor),
        spec.onnxPath,
      );
    } catch (e) {
      throw new InferenceError("BAD_MODEL", `manifest hook point tensor missing: ${(e as Error).message}`, {
        cause: e,
      });
    }
    return new TowerRunner(spec, bytes, inputs, settings);
  }

  hook(name: string): HookPointSpec {
    const h = this.spec.hooks.find((x) => x.name === name);
    if (!h)
      throw new InferenceError(
        "UNKNOWN_HOOK",
        `no ${this.spec.tower} hook point "${name}"${closeNamesHint(
          name,
          this.spec.hooks.map((x) => x.name),
        )}`,
      );
    return h;
  }

  private session(hooks: HookPointSpec[], opts: TowerRunOptions, portShape?: number[]): Promise<CachedSession> {
    const key = JSON.stringify({
      hooks: hooks.map((h) => h.name).sort(),
      saes: opts.saes.map((s) => [s.name, s.hook.name, JSON.stringify(saeMode(s, opts))]).sort(),
      iv: opts.intervention ? [opts.intervention.hook, portShape] : null,
      ep: this.settings.ep,
    });
    const hit = this.sessions.get(key);
    if (hit) {
      this.sessions.delete(key); // refresh LRU position
      this.sessions.set(key, hit);
      return hit;
    }
    const created = this.buildSession(hooks, opts, portShape);
    this.sessions.set(key, created);
    created.catch(() => this.sessions.delete(key));
    const { maxSessions, maxSessionBytes } = this.settings;
    while (this.sessions.size > sessionCapacity(maxSessions, maxSessionBytes, this.bytes.byteLength)) {
      const [oldKey, old] = this.sessions.entries().next().value as [string, Promise<CachedSession>];
      this.sessions.delete(oldKey);
      old
        .then((s) => {
          s.evicted = true;
          if (s.busy === 0) return s.session.release();
        })
        .catch(() => undefined);
    }
    return created;
  }

  /** A cached session marked in use (never one already evicted), for `finishUse` after its last batch. */
  private async useSession(
    hooks: HookPointSpec[],
    opts: TowerRunOptions,
    portShape?: number[],
  ): Promise<CachedSession> {
    for (;;) {
      const cached = await this.session(hooks, opts, portShape);
      if (cached.evicted) continue; // evicted meanwhile: session() builds it again
      cached.busy++;
      return cached;
    }
  }

  private finishUse(cached: CachedSession): void {
    cached.busy--;
    if (cached.evicted && cached.busy === 0) cached.session.release().catch(() => undefined);
  }

  /** Tensor name a hook is read from in a rewritten graph. */
  private static tensorOf(h: HookPointSpec, opts: TowerRunOptions): string {
    return opts.intervention?.hook === h.name ? interventionPorts(h.tensor).output : h.tensor;
  }

  private async buildSession(
    hooks: HookPointSpec[],
    opts: TowerRunOptions,
    portShape?: number[],
  ): Promise<CachedSession> {
    const label = this.spec.onnxPath;
    const model = decodeModel(this.bytes, label);
    if (opts.intervention) insertIntervention(model, this.hook(opts.intervention.hook).tensor, portShape!, label);
    exposeTensors(model, [...new Set(hooks.map((h) => TowerRunner.tensorOf(h, opts)))], label);
    for (const s of opts.saes)
      appendSaeEncoder(model, TowerRunner.tensorOf(s.hook, opts), s.sae, saeOutputName(s.name), saeMode(s, opts));
    let created: Pick<CachedSession, "session" | "ep">;
    // the rewritten graph, its weights read by onnxruntime from the tower's own file where it can
    const graph = sessionGraph(model, this.spec.onnxPath, this.bytes);
    try {
      const { ep, tuning, log } = this.settings;
      if (this.settings.sessionsInWorker) {
        if (!this.worker || this.worker.closed) this.worker = new OrtWorker();
        created = await createWorkerSessionWithFallback(this.worker, graph.source, ep, tuning, log, label);
      } else created = await createSessionWithFallback(graph.source, ep, tuning, log, label);
    } catch (e) {
      if (isInferenceError(e)) throw e;
      throw new InferenceError(
        "BAD_MODEL",
        `${label}: onnxruntime refused the model: ${(e as Error).message.split("\n")[0]}`,
        { cause: e },
      );
    } finally {
      graph.remove();
    }
    this.activeEp = created.ep;
    return { ...created, busy: 0, evicted: false };
  }

  async run(total: number, feedsFor: FeedBuilder, hookNames: string[], opts: TowerRunOptions): Promise<RunResult> {
    if (!Number.isInteger(opts.batchSize) || opts.batchSize < 1)
      throw new InferenceError("BAD_INPUT", `batchSize must be a positive integer`);
    const hooks = [...new Set(hookNames)].map((n) => this.hook(n));
    let ivFeeds: Record<string, ort.Tensor> = {};
    let portShape: number[] | undefined;
    if (opts.intervention) {
      const iv = interventionFeeds(this.hook(opts.intervention.hook), opts.intervention);
      portShape = iv.portShape;
      const ports = interventionPorts(this.hook(opts.intervention.hook).tensor);
      ivFeeds = {
        [ports.keepInput]: new ort.Tensor("float32", iv.keep, iv.portShape),
        [ports.addInput]: new ort.Tensor("float32", iv.add, iv.portShape),
      };
    }
    for (const s of opts.saes) {
      const width = s.hook.shape[s.hook.shape.length - 1];
      if (width !== s.sae.dIn)
        throw new InferenceError(
          "BAD_SAE",
          `SAE "${s.name}" has d_in ${s.sae.dIn} but hook "${s.hook.name}" has last dim ${String(width)}`,
        );
    }
    const cached = await this.useSession(hooks, opts, portShape);
    const { session } = cached;

    type Fetch = {
      key: string;
      tensor: string;
      spec: (number | string)[];
      kind: "embeds" | "hook" | "sae" | "saeValues" | "saeIndices";
    };
    const fetch: Fetch[] = [
      { key: "embeds", tensor: this.spec.output, spec: ["batch", this.spec.embedDim], kind: "embeds" },
      ...hooks.map((h) => ({
        key: h.name,
        tensor: TowerRunner.tensorOf(h, opts),
        spec: h.shape,
        kind: "hook" as const,
      })),
    ];
    for (const s of opts.saes) {
      const mode = saeMode(s, opts);
      const rowDims = s.hook.shape.slice(0, -1);
      if (mode.kind === "dense")
        fetch.push({ key: s.name, tensor: saeOutputName(s.name), spec: [...rowDims, s.sae.dSae], kind: "sae" });
      else {
        const [values, indices] = saeGraphOutputs(saeOutputName(s.name), mode);
        const k = s.sae.cfg.architecture === "topk" ? Math.min(mode.k, s.sae.cfg.k!) : Math.min(mode.k, s.sae.dSae);
        fetch.push({ key: `${s.name}\u0000values`, tensor: values, spec: [...rowDims, k], kind: "saeValues" });
        fetch.push({ key: `${s.name}\u0000indices`, tensor: indices, spec: [...rowDims, k], kind: "saeIndices" });
      }
    }
    const chunks = new Map<string, { parts: (Float32Array | Int32Array)[]; dims?: number[] }>();
    for (const f of fetch) chunks.set(f.key, { parts: [] });
    const fetchNames = [...new Set(fetch.map((f) => f.tensor))];
    const runFeeds = async (feeds: Record<string, ort.Tensor>) => {
      try {
        return await session.run({ ...feeds, ...ivFeeds }, fetchNames);
      } catch (e) {
        if (isInferenceError(e)) throw e;
        throw new InferenceError(
          "BAD_INPUT",
          `${this.spec.tower} tower run failed: ${(e as Error).message.split("\n")[0]}`,
          { cause: e },
        );
      }
    };
    // short batches at their own length only where every output's shape is fully declared (so the padding back
    // is unambiguous) and no intervention port carries the sequence axis
    const sequence =
      opts.sequence &&
      !opts.intervention &&
      fetch.every((f) => f.spec.every((d) => typeof d === "number" || d === "batch"))
        ? opts.sequence
        : undefined;
    const full = sequence?.full;
    // the positions every batch's outputs come back at: the full sequence, or this call's longest row. A refusal
    // can only come at a tower's first short batch, before which this call ran nothing shorter than `full`.
    let target =
      full !== undefined && sequence?.keep === "longest" && this.trim !== "refused" ? sequence.needed(0, total) : full;
    try {
      for (let start = 0; start < total; start += opts.batchSize) {
        const count = Math.min(opts.batchSize, total - start);
        const ran = sequence && this.trim !== "refused" ? sequence.needed(start, count) : full;
        let out: Record<string, PlainTensor>;
        if (full === undefined || ran === undefined || ran >= full)
          out = await runFeeds(feedsFor(start, count, this.inputs));
        else {
          out = await this.runTrimmed(runFeeds, feedsFor, start, count, ran, full, fetch[0].tensor);
          if (this.trim === "refused") target = full;
          else if (ran < target!)
            for (const f of fetch) {
              const t = out[f.tensor];
              const declared = f.spec.map((d) => (d === "batch" ? count : (d as number)));
              const to = t && untrimmedDims(t.dims, declared, ran, full, target);
              if (to)
                out[f.tensor] = { ...t, data: padAxes(t.data as Float32Array | Int32Array, t.dims, to), dims: to };
            }
        }
        for (const f of fetch) {
          const t = out[f.tensor];
          const label =
            f.kind === "embeds"
              ? `${this.spec.tower} output "${f.tensor}"`
              : f.kind === "hook"
                ? `hook "${f.key}"`
                : `SAE output "${f.tensor}"`;
          const want = f.kind === "saeIndices" ? "int32" : "float32";
          if (t.type !== want) throw new InferenceError("SHAPE_MISMATCH", `${label}: expected ${want}, got ${t.type}`);
          checkDims(full === undefined ? f.spec : declaredAt(f.spec, t.dims, full, target!), t.dims, count, label);
          const c = chunks.get(f.key)!;
          c.parts.push(t.data as Float32Array | Int32Array);
          c.dims = [...t.dims];
        }
      }
    } finally {
      this.finishUse(cached);
    }
    const result: RunResult = {
      embeds: { data: new Float32Array(0), dims: [0, this.spec.embedDim] },
      hooks: {},
      saes: {},
    };
    for (const f of fetch) {
      const joined = concatBatches(chunks.get(f.key)!, total);
      if (f.kind === "embeds") result.embeds = joined as TensorOutput;
      else if (f.kind === "hook") result.hooks[f.key] = joined as TensorOutput;
      else if (f.kind === "sae") {
        const data = joined.data as Float32Array;
        const so: SaeOutput = { data, dims: joined.dims };
        if (opts.saeTopK) {
          const width = joined.dims[joined.dims.length - 1];
          so.sparse = topKPerRow(data, data.length / width, width, opts.saeTopK);
        }
        result.saes[f.key] = so;
      } else {
        const name = f.key.split("\u0000")[0];
        const sae = opts.saes.find((s) => s.name === name)!;
        const so = (result.saes[name] ??= {
          dims: [...joined.dims.slice(0, -1), sae.sae.dSae],
          sparse: { k: joined.dims[joined.dims.length - 1], indices: new Int32Array(0), values: new Float32Array(0) },
        });
        if (f.kind === "saeValues") so.sparse!.values = joined.data as Float32Array;
        else so.sparse!.indices = joined.data as Int32Array;
      }
    }
    return result;
  }

  /**
   * One batch at `ran` of `full` positions. The first such batch of this tower is checked against a full-length run
   * of the same rows (the embeddings must agree); a graph that fails at the shorter length or disagrees (no causal
   * mask, pooling at a fixed position) runs every later batch at full length, with a log line saying why.
   */
  private async runTrimmed(
    runFeeds: (feeds: Record<string, ort.Tensor>) => Promise<Record<string, PlainTensor>>,
    feedsFor: FeedBuilder,
    start: number,
    count: number,
    ran: number,
    full: number,
    embedsTensor: string,
  ): Promise<Record<string, PlainTensor>> {
    const refuse = (why: string) => {
      this.trim = "refused";
      this.settings.log(
        `${this.spec.tower} tower: batches at their own length turned off (${why}); every batch runs at ${full} positions`,
      );
    };
    let short: Record<string, PlainTensor>;
    try {
      short = await runFeeds(feedsFor(start, count, this.inputs, ran));
    } catch (e) {
      refuse(`the graph failed at ${ran} of ${full} positions: ${(e as Error).message}`);
      return runFeeds(feedsFor(start, count, this.inputs));
    }
    if (this.trim === "checked") return short;
    const long = await runFeeds(feedsFor(start, count, this.inputs));
    const a = short[embedsTensor]?.data as Float32Array | undefined,
      b = long[embedsTensor]?.data as Float32Array | undefined;
    const gap = a && b && a.length === b.length ? embeddingGap(a, b) : Infinity;
    if (gap > 1e-4) {
      refuse(`embeddings at ${ran} and ${full} positions differ by ${gap.toExponential(2)} of their scale`);
      return long;
    }
    this.trim = "checked";
    return short;
  }

  async close(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((p) => p.then((s) => s.session.release()).catch(() => undefined)));
    const worker = this.worker;
    this.worker = undefined;
    await worker?.close();
  }
}

export function saeOutputName(name: string): string {
  return `sae_out.${name}`;
}

/** Output mode of an attached SAE for these run options. */
function saeMode(s: SaeAttachment, opts: TowerRunOptions): SaeGraphOutput {
  if (opts.saeOutput !== "sparse") return { kind: "dense" };
  const k = opts.saeTopK ?? s.sae.cfg.k;
  if (!Number.isInteger(k) || k! < 1)
    throw new InferenceError(
      "BAD_INPUT",
      `saeOutput "sparse" needs saeTopK (SAE "${s.name}" is ${s.sae.cfg.architecture}, without its own k)`,
    );
  return { kind: "sparse", k: k! };
}

/** Largest absolute difference between two embedding batches, relative to the largest absolute value. */
function embeddingGap(a: Float32Array, b: Float32Array): number {
  let diff = 0,
    scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return Number.isNaN(diff) ? Infinity : diff / Math.max(scale, 1e-12);
}

function concatBatches(
  c: { parts: (Float32Array | Int32Array)[]; dims?: number[] },
  total: number,
): { data: Float32Array | Int32Array; dims: number[] } {
  const dims = c.dims ? [total, ...c.dims.slice(1)] : [0];
  if (c.parts.length === 1) return { data: c.parts[0], dims };
  const n = c.parts.reduce((acc, p) => acc + p.length, 0);
  const data = c.parts[0] instanceof Int32Array ? new Int32Array(n) : new Float32Array(n);
  let at = 0;
  for (const p of c.parts) {
    data.set(p, at);
    at += p.length;
  }
  return { data, dims };
}
