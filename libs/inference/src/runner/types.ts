// Options and results of the model runner.
import type { Logger, ExecutionProviderName } from "../onnx/execution-provider";
import type { SparseRows } from "../sae";
import type { Tokenizer, TokenizedText } from "../tokenize";

export interface RunnerOptions {
  /** "cpu" (default), "cuda" or "webgpu"; defaults to the INFERENCE_EP environment variable. */
  ep?: ExecutionProviderName | string;
  /** onnxruntime intra-op threads (default: INFERENCE_THREADS env, else onnxruntime's default). */
  intraOpNumThreads?: number;
  interOpNumThreads?: number;
  /** false: onnxruntime's intra-op threads do not spin between parallel sections (default: INFERENCE_SPIN=0 env
   * turns spinning off, else onnxruntime's default, spinning) */
  allowSpinning?: boolean;
  /** Replaces the manifest's tokenizer (e.g. a BPE tokenizer of a real model). */
  tokenizer?: Tokenizer;
  /** Where fallbacks and warnings go (default console.warn). */
  logger?: Logger;
  /** Sessions kept per tower (least recently used are released). Default 8. */
  maxSessions?: number;
  /**
   * Bytes of sessions kept per tower, counted as the tower's graph size per session (each session holds its own
   * copy of the weights); at least one is kept. Default INFERENCE_SESSION_CACHE_MB, else 4,096 MB.
   */
  maxSessionBytes?: number;
  /**
   * Run onnxruntime sessions in a worker thread (one per tower), so inference overlaps the caller's JavaScript
   * (onnxruntime-node's session.run otherwise blocks the main thread). Default false.
   */
  sessionsInWorker?: boolean;
  /** Folder the manifest's relative paths resolve against, when a manifest object is passed. */
  dir?: string;
}

/**
 * Ablate and/or steer one hook point. The hook tensor X is replaced, for every downstream consumer, by
 * X * keep + add, with keep/add broadcast over the batch (and positions) along `axis`.
 */
export interface Intervention {
  hook: string;
  /** Unit indices along `axis` to set to zero. */
  ablate?: number[];
  /** Direction added along `axis` (e.g. an SAE decoder row or a one-hot neuron vector), times `scale`. */
  add?: Float32Array | number[];
  /** Multiplier for `add` (default 1). */
  scale?: number;
  /** Axis of the hook shape that indexes units; defaults to the axis whose size is the hook width (last match). */
  axis?: number;
}

export interface RunOptions {
  /** Rows per onnxruntime call (default 64). */
  batchSize?: number;
  /** Manifest SAE names to encode in-graph at their hook point. */
  saes?: string[];
  /**
   * "dense" (default): full [.., d_sae] activations. "sparse": only the k strongest features per row, computed
   * in-graph (k = saeTopK, default the SAE's own k for TopK SAEs); much less to compute and copy.
   */
  saeOutput?: "dense" | "sparse";
  /** Rows' k strongest features: in dense mode added as `sparse` next to `data`; in sparse mode the k used. */
  saeTopK?: number;
  intervention?: Intervention;
  /**
   * Text tensors' sequence axis: "declared" (default) pads every output back to text.seqLen; "longest" leaves them
   * at the call's longest row (its `<eos>` + 1; every batch of the call padded to that), which saves computing and
   * copying the padding. Only where the text graph's sequence axis is free and a short batch was checked against a
   * full-length run (otherwise outputs come back at seqLen): read the length from each output's dims.
   */
  textPositions?: TextPositions;
}

export type TextPositions = "declared" | "longest";

export interface TensorOutput {
  data: Float32Array;
  dims: number[];
}

export interface SaeOutput {
  /** Dense activations (absent in sparse mode). */
  data?: Float32Array;
  /** Dense shape [..., d_sae] (also in sparse mode). */
  dims: number[];
  /** k strongest features per row (rows = product of dims except the last), descending. */
  sparse?: SparseRows;
}

/**
 * A run's embeddings, hook tensors and SAE features, each in its declared shape (text: at fewer positions with
 * `textPositions: "longest"`). Text positions after a row's <eos> are not model values when the text graph's
 * sequence axis is free (a batch runs at its longest row and is zero-padded, see trim-positions.ts): read text
 * tensors up to `eosPosition` only.
 */
export interface RunResult {
  embeds: TensorOutput;
  hooks: Record<string, TensorOutput>;
  saes: Record<string, SaeOutput>;
}

export interface TextRunResult extends RunResult {
  tokens: TokenizedText[];
}
