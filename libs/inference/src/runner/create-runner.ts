// createRunner: the model-level API. Loads a manifest, opens its towers, preprocesses images / tokenizes texts,
// and runs them in batches returning embeddings, hook activations and SAE features.
import { join, resolve } from "node:path";
import * as ort from "onnxruntime-node";
import { InferenceError } from "../errors";
import { loadModelManifest } from "../manifest/load";
import type { HookPointSpec, LoadedManifest, ModelManifest, Tower } from "../manifest/types";
import { validateManifest } from "../manifest/validate";
import {
  defaultLogger,
  requestedExecutionProvider,
  type ExecutionProviderName,
  type Logger,
  type SessionTuning,
} from "../onnx/execution-provider";
import { preprocessImages, type ImageInput } from "../preprocess";
import { loadSae, type Sae } from "../sae";
import { createTokenizer, type TokenizedText, type Tokenizer } from "../tokenize";
import { closeNamesHint } from "../util/close-names";
import { TowerRunner, type SaeAttachment, type TowerRunOptions } from "./tower-runner";
import { DEFAULT_MAX_SESSIONS, sessionCacheBytes } from "./session-capacity";
import { positionsNeeded } from "./trim-positions";
import { onnxRowProducts } from "../linalg/row-products";
import { onnxMatMul, type OnnxMatMul } from "../linalg/mat-mul";
import type { RunOptions, RunResult, RunnerOptions, TextRunResult } from "./types";

export class Runner {
  readonly dir: string;
  readonly manifest: ModelManifest;
  readonly tokenizer: Tokenizer | undefined;
  /** Provider requested after availability checks (a session may still fall back to CPU; see activeEp). */
  readonly ep: ExecutionProviderName;
  private readonly image?: TowerRunner;
  private readonly text?: TowerRunner;
  private readonly saeCache = new Map<string, Sae>();
  private readonly log: Logger;
  private readonly tuning: SessionTuning;
  private matMulSession: OnnxMatMul | null = null;

  constructor(loaded: LoadedManifest, opts: RunnerOptions = {}) {
    this.dir = loaded.dir;
    this.manifest = loaded.manifest;
    this.log = opts.logger ?? defaultLogger;
    this.ep = requestedExecutionProvider(opts.ep, this.log);
    const envThreads = Number(process.env.INFERENCE_THREADS);
    const settings = {
      ep: this.ep,
      log: this.log,
      maxSessions: opts.maxSessions ?? DEFAULT_MAX_SESSIONS,
      maxSessionBytes: opts.maxSessionBytes ?? sessionCacheBytes(),
      sessionsInWorker: opts.sessionsInWorker ?? false,
      tuning: {
        intraOpNumThreads:
          opts.intraOpNumThreads ?? (Number.isInteger(envThreads) && envThreads > 0 ? envThreads : undefined),
        interOpNumThreads: opts.interOpNumThreads,
        allowSpinning: opts.allowSpinning ?? (process.env.INFERENCE_SPIN === "0" ? false : undefined),
      },
    };
    this.tuning = settings.tuning;
    const m = this.manifest;
    const hooksOf = (tower: Tower) => m.hookPoints.filter((h) => h.tower === tower);
    if (m.image)
      this.image = TowerRunner.open(
        {
          tower: "VISION",
          onnxPath: join(this.dir, m.image.onnx),
          input: m.image.input,
          output: m.image.output,
          embedDim: m.embedDim,
          hooks: hooksOf("VISION"),
        },
        settings,
      );
    if (m.text) {
      this.text = TowerRunner.open(
        {
          tower: "TEXT",
          onnxPath: join(this.dir, m.text.onnx),
          input: m.text.input,
          output: m.text.output,
          embedDim: m.embedDim,
          hooks: hooksOf("TEXT"),
          extraInputs: m.text.eosInput ? [m.text.eosInput] : [],
        },
        settings,
      );
      this.tokenizer = opts.tokenizer ?? createTokenizer(m.text, this.dir);
      if (this.tokenizer.seqLen !== m.text.seqLen)
        throw new InferenceError(
          "BAD_MANIFEST",
          `tokenizer seqLen ${this.tokenizer.seqLen} differs from text.seqLen ${m.text.seqLen}`,
        );
    }
  }

  /** Provider sessions of each tower actually run on (after any fallback), once a run happened. */
  get activeEp(): { image?: ExecutionProviderName; text?: ExecutionProviderName } {
    return { image: this.image?.activeEp, text: this.text?.activeEp };
  }

  hookPoints(tower?: Tower): HookPointSpec[] {
    return this.manifest.hookPoints.filter((h) => !tower || h.tower === tower);
  }

  /** Loads (once) an SAE listed in the manifest. */
  sae(name: string): Sae {
    const cached = this.saeCache.get(name);
    if (cached) return cached;
    const entry = this.manifest.saes.find((s) => s.name === name);
    if (!entry)
      throw new InferenceError(
        "BAD_SAE",
        `no SAE "${name}" in the manifest${closeNamesHint(
          name,
          this.manifest.saes.map((s) => s.name),
        )}`,
      );
    const sae = loadSae(resolve(this.dir, entry.path), { name });
    this.saeCache.set(name, sae);
    return sae;
  }

  /** The hook point an SAE reads (manifest hookPoint, else cfg metadata.hook_name). */
  saeHook(name: string): HookPointSpec {
    const entry = this.manifest.saes.find((s) => s.name === name);
    const hookName = entry?.hookPoint ?? this.sae(name).cfg.hookName;
    const hook = this.manifest.hookPoints.find((h) => h.name === hookName);
    if (!hook)
      throw new InferenceError(
        "BAD_SAE",
        `SAE "${name}" reads hook "${String(hookName)}", which is not a manifest hook point`,
      );
    return hook;
  }

  /**
   * Loads an SAE and checks that it can run on its hook: the hook exists, is not an attention pattern, and its
   * last declared dim equals the SAE's d_in. Throws BAD_SAE otherwise (before any session is built).
   */
  checkSae(name: string): { sae: Sae; hook: HookPointSpec } {
    const sae = this.sae(name);
    const hook = this.saeHook(name);
    const width = hook.shape[hook.shape.length - 1];
    if (hook.kind.toUpperCase() === "ATTN_PATTERN")
      throw new InferenceError(
        "BAD_SAE",
        `SAE "${name}" reads attention pattern hook "${hook.name}"; SAEs run on residual or MLP hooks`,
      );
    if (width !== sae.dIn)
      throw new InferenceError(
        "BAD_SAE",
        `SAE "${name}" has d_in ${sae.dIn} but hook "${hook.name}" has last dim ${String(width)}`,
      );
    return { sae, hook };
  }

  private towerOptions(tower: Tower, opts: RunOptions): TowerRunOptions {
    const saes: SaeAttachment[] = (opts.saes ?? []).map((name) => {
      const hook = this.saeHook(name);
      if (hook.tower !== tower)
        throw new InferenceError("BAD_SAE", `SAE "${name}" reads the ${hook.tower} tower, not ${tower}`);
      return { name, sae: this.sae(name), hook };
    });
    if (opts.intervention) {
      const h = this.manifest.hookPoints.find((x) => x.name === opts.intervention!.hook);
      if (h && h.tower !== tower)
        throw new InferenceError(
          "BAD_INTERVENTION",
          `intervention hook "${h.name}" is on the ${h.tower} tower, not ${tower}`,
        );
    }
    return {
      batchSize: opts.batchSize ?? 64,
      saes,
      saeTopK: opts.saeTopK,
      saeOutput: opts.saeOutput,
      intervention: opts.intervention,
    };
  }

  private checkHooks(tower: Tower, hooks: string[]): void {
    for (const name of hooks) {
      const h = this.manifest.hookPoints.find((x) => x.name === name);
      if (h && h.tower !== tower)
        throw new InferenceError(
          "UNKNOWN_HOOK",
          `hook "${name}" is on the ${h.tower} tower; use ${h.tower === "TEXT" ? "runTexts" : "runImages"}`,
        );
    }
  }

  private requireImage(): TowerRunner {
    if (!this.image || !this.manifest.image)
      throw new InferenceError("BAD_INPUT", `model "${this.manifest.name}" has no image tower`);
    return this.image;
  }

  /** Encoded PNG/JPEG bytes or RGBA images → embeddings + hooks (+ SAE features). */
  async runImages(images: ImageInput[], hooks: string[] = [], opts: RunOptions = {}): Promise<RunResult> {
    this.requireImage();
    if (!Array.isArray(images)) throw new InferenceError("BAD_INPUT", `images must be an array`);
    return this.runPixels(preprocessImages(images, this.manifest.image!.preprocess), hooks, opts);
  }

  /** Already preprocessed (normalized) pixels in the manifest layout, batch inferred from the length. */
  async runPixels(pixels: Float32Array, hooks: string[] = [], opts: RunOptions = {}): Promise<RunResult> {
    const tower = this.requireImage();
    const p = this.manifest.image!.preprocess;
    const per = 3 * p.size * p.size;
    if (!(pixels instanceof Float32Array) || pixels.length % per !== 0)
      throw new InferenceError(
        "BAD_INPUT",
        `pixels must be a Float32Array of batch × ${per} values (3×${p.size}×${p.size}), got ${pixels?.length}`,
      );
    this.checkHooks("VISION", hooks);
    const shape = p.layout === "NCHW" ? [3, p.size, p.size] : [p.size, p.size, 3];
    const input = this.manifest.image!.input;
    return tower.run(
      pixels.length / per,
      (start, count) => ({
        [input]: new ort.Tensor("float32", pixels.subarray(start * per, (start + count) * per), [count, ...shape]),
      }),
      hooks,
      this.towerOptions("VISION", opts),
    );
  }

  /** Texts → tokens → embeddings + hooks (+ SAE features). */
  async runTexts(texts: string[], hooks: string[] = [], opts: RunOptions = {}): Promise<TextRunResult> {
    if (!this.text || !this.manifest.text || !this.tokenizer)
      throw new InferenceError("BAD_INPUT", `model "${this.manifest.name}" has no text tower`);
    if (!Array.isArray(texts)) throw new InferenceError("BAD_INPUT", `texts must be an array of strings`);
    const tokens = texts.map((t, i) => {
      if (typeof t !== "string") throw new InferenceError("BAD_INPUT", `text ${i} is not a string`);
      return this.tokenizer!.encode(t);
    });
    return { ...(await this.runTokens(tokens, hooks, opts)), tokens };
  }

  /**
   * One blank example through a tower (all-zero normalized pixels, or the text "a") with these hooks and SAEs:
   * opens the tower's session and proves they run, without any data (warm-ups, import checks).
   */
  async runBlank(tower: Tower, hooks: string[] = [], opts: RunOptions = {}): Promise<RunResult> {
    if (tower === "TEXT") return this.runTexts(["a"], hooks, { batchSize: 1, ...opts });
    this.requireImage();
    const size = this.manifest.image!.preprocess.size;
    return this.runPixels(new Float32Array(3 * size * size), hooks, { batchSize: 1, ...opts });
  }

  /** Pre-tokenized rows (each exactly seqLen ids). */
  async runTokens(tokens: TokenizedText[], hooks: string[] = [], opts: RunOptions = {}): Promise<RunResult> {
    if (!this.text || !this.manifest.text)
      throw new InferenceError("BAD_INPUT", `model "${this.manifest.name}" has no text tower`);
    const spec = this.manifest.text;
    const T = spec.seqLen;
    tokens.forEach((t, i) => {
      if (t.ids.length !== T)
        throw new InferenceError("BAD_INPUT", `token row ${i} has ${t.ids.length} ids, text.seqLen is ${T}`);
    });
    this.checkHooks("TEXT", hooks);
    // a sequence axis the graph leaves free (Optimum's exports): each batch runs at its longest row
    const seqDim = this.text.inputs.get(spec.input)?.dims?.[1];
    const keep = opts.textPositions ?? "declared";
    if (keep !== "declared" && keep !== "longest")
      throw new InferenceError("BAD_INPUT", `textPositions must be "declared" or "longest", got ${String(keep)}`);
    const sequence =
      typeof seqDim === "number"
        ? undefined
        : { full: T, keep, needed: (start: number, count: number) => positionsNeeded(tokens, start, count, T) };
    return this.text.run(
      tokens.length,
      (start, count, inputs, length = T) => {
        const ids = intTensor(inputs.get(spec.input)!.elemType, count * length, [count, length], spec.input);
        for (let r = 0; r < count; r++) {
          const row = tokens[start + r].ids;
          for (let t = 0; t < length; t++) ids.set(r * length + t, row[t]);
        }
        const feeds: Record<string, ort.Tensor> = { [spec.input]: ids.tensor };
        if (spec.eosInput) {
          const eos = intTensor(inputs.get(spec.eosInput)!.elemType, count, [count], spec.eosInput);
          for (let r = 0; r < count; r++) eos.set(r, tokens[start + r].eosPosition);
          feeds[spec.eosInput] = eos.tensor;
        }
        return feeds;
      },
      hooks,
      { ...this.towerOptions("TEXT", opts), sequence },
    );
  }

  /** All-pairs row products (finalize's similar units) on this runner's execution provider and threads. */
  rowProducts(): ReturnType<typeof onnxRowProducts> {
    return onnxRowProducts({ ep: this.ep, ...this.tuning, log: this.log });
  }

  /**
   * left [rows × inner] · right [inner × cols] on this runner's execution provider and threads (float32; one
   * session, opened on first use, released by close()).
   */
  matMul(left: Float32Array, rows: number, inner: number, right: Float32Array, cols: number): Promise<Float32Array> {
    this.matMulSession ??= onnxMatMul({ ep: this.ep, ...this.tuning, log: this.log });
    return this.matMulSession.multiply(left, rows, inner, right, cols);
  }

  async close(): Promise<void> {
    const mm = this.matMulSession;
    this.matMulSession = null;
    await Promise.all([this.image?.close(), this.text?.close(), mm?.close()]);
  }
}

/** A zero-filled integer (or float) tensor of the graph input's element type, written in place with `set`. */
function intTensor(
  elemType: number,
  size: number,
  dims: number[],
  name: string,
): { tensor: ort.Tensor; set(i: number, v: number): void } {
  if (elemType === 7) {
    const data = new BigInt64Array(size);
    return {
      tensor: new ort.Tensor("int64", data, dims),
      set: (i, v) => {
        data[i] = BigInt(v);
      },
    };
  }
  if (elemType === 6 || elemType === 1) {
    const data = elemType === 6 ? new Int32Array(size) : new Float32Array(size);
    return {
      tensor: new ort.Tensor(elemType === 6 ? "int32" : "float32", data, dims),
      set: (i, v) => {
        data[i] = v;
      },
    };
  }
  throw new InferenceError(
    "BAD_MODEL",
    `graph input "${name}" has element type ${elemType}; expected int64, int32 or float32`,
  );
}

/** Open a model from its folder (model.json), a loaded manifest, or a manifest object plus `opts.dir`. */
export async function createRunner(
  source: string | LoadedManifest | ModelManifest,
  opts: RunnerOptions = {},
): Promise<Runner> {
  let loaded: LoadedManifest;
  if (typeof source === "string") loaded = loadModelManifest(source);
  else if ("manifest" in source && "dir" in source) loaded = source as LoadedManifest;
  else {
    if (!opts.dir) throw new InferenceError("BAD_MANIFEST", `a manifest object needs opts.dir to resolve its files`);
    loaded = { dir: resolve(opts.dir), manifest: validateManifest(source) };
  }
  return new Runner(loaded, opts);
}
