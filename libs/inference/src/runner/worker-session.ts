// onnxruntime sessions that live in a worker thread (ort-worker.mjs), so inference overlaps the main thread's
// JavaScript: OrtWorker owns one worker and its sessions; WorkerSession has the surface TowerRunner uses of an
// ort.InferenceSession (run → outputs' type/dims/data, release). Inputs are copied to the worker, outputs'
// buffers are transferred back. A crashed or exited worker rejects its pending calls; the worker only keeps the
// process alive while a call is pending, and is terminated by close().
import path from "node:path";
import { Worker } from "node:worker_threads";
import type * as ort from "onnxruntime-node";
import { InferenceError } from "../errors";
import {
  openWithProviderFallback,
  type ExecutionProviderName,
  type Logger,
  type SessionTuning,
} from "../onnx/execution-provider";

/** An output tensor as the worker returns it. */
export interface PlainTensor {
  type: ort.Tensor.Type;
  dims: readonly number[];
  data: ort.Tensor.DataType;
}

interface Pending {
  resolve(value: unknown): void;
  reject(e: Error): void;
}

let liveWorkers = 0;

/** Worker threads started and not yet exited (tests check that closing a runner ends its worker). */
export function liveOrtWorkers(): number {
  return liveWorkers;
}

export class OrtWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private nextSession = 1;
  private ended: Error | undefined;
  /** Resolves once the worker thread has exited. */
  readonly exited: Promise<void>;

  constructor() {
    this.worker = new Worker(path.join(__dirname, "ort-worker.mjs"));
    liveWorkers++;
    this.worker.unref();
    this.worker.on("message", (msg: { id: number; result?: unknown; error?: { message: string } }) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      this.updateRef();
      if (msg.error) p.reject(new Error(msg.error.message));
      else p.resolve(msg.result);
    });
    this.worker.on("error", (e) => this.fail(`onnxruntime worker crashed: ${e.message}`));
    this.worker.on("messageerror", (e) => this.fail(`onnxruntime worker sent an unreadable message: ${e.message}`));
    this.exited = new Promise((resolve) =>
      this.worker.once("exit", (code) => {
        liveWorkers--;
        this.fail(`onnxruntime worker exited (code ${code})`);
        resolve();
      }),
    );
  }

  /** True once the worker crashed, exited or was closed; calls then reject. */
  get closed(): boolean {
    return this.ended !== undefined;
  }

  private fail(message: string): void {
    if (!this.ended) this.ended = new InferenceError("BAD_MODEL", message);
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(this.ended);
  }

  /** Keep the process alive exactly while a call is pending. */
  private updateRef(): void {
    if (this.pending.size > 0) this.worker.ref();
    else this.worker.unref();
  }

  call(message: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (this.ended) return Promise.reject(this.ended);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.updateRef();
      try {
        this.worker.postMessage({ ...message, id }, transfer);
      } catch (e) {
        this.pending.delete(id);
        this.updateRef();
        reject(e as Error);
      }
    });
  }

  /** Create a session in the worker from these model bytes (copied; the caller keeps its array) or this file. */
  async createSession(
    model: Uint8Array | string,
    options: ort.InferenceSession.SessionOptions,
  ): Promise<WorkerSession> {
    const sessionId = this.nextSession++;
    if (typeof model === "string") await this.call({ op: "create", sessionId, model, options });
    else {
      const copy = model.slice();
      await this.call({ op: "create", sessionId, model: copy, options }, [copy.buffer]);
    }
    return new WorkerSession(this, sessionId);
  }

  /** Terminate the worker (pending calls reject); resolves once it has exited. */
  async close(): Promise<void> {
    if (!this.ended) this.ended = new InferenceError("BAD_MODEL", "onnxruntime worker was closed");
    await this.worker.terminate();
    await this.exited;
  }
}

export class WorkerSession {
  constructor(
    private readonly worker: OrtWorker,
    private readonly sessionId: number,
  ) {}

  /** Run with these feeds (their data is copied, never taken) and return the fetched outputs. */
  async run(feeds: Record<string, ort.Tensor>, fetchNames: string[]): Promise<Record<string, PlainTensor>> {
    const plain: Record<string, PlainTensor> = {};
    const transfer: ArrayBuffer[] = [];
    for (const [name, t] of Object.entries(feeds)) {
      const data = (t.data as Float32Array).slice();
      plain[name] = { type: t.type, dims: [...t.dims], data };
      transfer.push(data.buffer as ArrayBuffer);
    }
    return (await this.worker.call(
      { op: "run", sessionId: this.sessionId, feeds: plain, fetchNames },
      transfer,
    )) as Record<string, PlainTensor>;
  }

  async release(): Promise<void> {
    if (this.worker.closed) return;
    await this.worker.call({ op: "release", sessionId: this.sessionId });
  }
}

/** Create a worker session on `ep` with the same CPU fallback and tuning as createSessionWithFallback. */
export function createWorkerSessionWithFallback(
  worker: OrtWorker,
  model: Uint8Array | string,
  ep: ExecutionProviderName,
  tuning: SessionTuning,
  log: Logger,
  label: string,
): Promise<{ session: WorkerSession; ep: ExecutionProviderName }> {
  return openWithProviderFallback((options) => worker.createSession(model, options), ep, tuning, log, label);
}
