// One model, ready to probe: onnxruntime sessions opened once (every hook point and every SAE of a tower
// exposed in one session, so any probe is a single session.run), built from the Model / HookPoint /
// Dictionary rows (Model.config is the manifest, Model.directory holds the ONNX and SAE files).
import path from "node:path";
import { repoRoot, type Dictionary, type HookPoint, type Model } from "@mmatlas/db";
import { AppError } from "@mmatlas/errors";
import { createRunner, isInferenceError, type ModelManifest, type RunResult, type Runner } from "@mmatlas/inference";

export interface ProbeModelRows {
  model: Model;
  hookPoints: HookPoint[];
  dictionaries: Dictionary[];
}

export type ProbeTower = "VISION" | "TEXT";

/** Everything one input produced in one tower, for a single example. */
export interface TowerActivations {
  tower: ProbeTower;
  /** sequence length of the tower (vision: prefix + grid², text: seqLen) */
  positions: number;
  /** positions that hold the input (vision: all; text: tokens up to and including <eos>) */
  valid: number;
  /** position the tower pools at (vision: CLS = 0, text: <eos>) */
  query: number;
  /** hook tensors by hook point name ([positions × width] or [heads × seq × seq]) */
  hooks: RunResult["hooks"];
  /** dense SAE features [positions × d_sae] by dictionary name */
  saes: Record<string, Float32Array>;
  /** token strings (text only, up to <eos>) */
  tokens?: string[];
}

export interface ProbeRunnerOptions {
  /** onnxruntime intra-op threads (default PROBE_THREADS, else 1: a single small example runs fastest on one thread) */
  threads?: number;
}

/** Absolute folder of a model row (stored relative to the repository when inside it). */
export function modelDirectory(model: Pick<Model, "directory">): string {
  return path.isAbsolute(model.directory) ? model.directory : path.resolve(repoRoot(), model.directory);
}

/** Signature of the rows a runner was built from (a new hook point or SAE means a rebuild). */
export function rowsSignature(rows: ProbeModelRows): string {
  return JSON.stringify([rows.model.id, rows.model.directory, rows.hookPoints.map((h) => h.id).sort(), rows.dictionaries.map((d) => `${d.id}:${d.weightsPath}`).sort()]);
}

const asInput = (e: unknown): never => {
  if (isInferenceError(e) && (e.code === "BAD_IMAGE" || e.code === "BAD_INPUT")) throw AppError.badInput(e.message.replace(/^\[\w+\] /, ""), e.code === "BAD_IMAGE" ? "image" : "input");
  throw e;
};

export class ProbeModelRunner {
  readonly rows: ProbeModelRows;
  readonly signature: string;
  readonly manifest: ModelManifest;
  private readonly runner: Runner;
  private readonly visionHooks: string[];
  private readonly textHooks: string[];
  private readonly visionSaes: string[];
  private readonly textSaes: string[];

  private constructor(rows: ProbeModelRows, manifest: ModelManifest, runner: Runner) {
    this.rows = rows;
    this.signature = rowsSignature(rows);
    this.manifest = manifest;
    this.runner = runner;
    const known = new Set(manifest.hookPoints.map((h) => h.name));
    const hooksOf = (t: ProbeTower) => rows.hookPoints.filter((h) => h.tower === t && known.has(h.name)).map((h) => h.name);
    this.visionHooks = hooksOf("VISION");
    this.textHooks = hooksOf("TEXT");
    const towerOf = new Map(rows.hookPoints.map((h) => [h.id, h.tower]));
    const saesOf = (t: ProbeTower) => rows.dictionaries.filter((d) => towerOf.get(d.hookPointId) === t).map((d) => d.name);
    this.visionSaes = saesOf("VISION");
    this.textSaes = saesOf("TEXT");
  }

  /** Opens the towers and warms both sessions up (the first real probe then costs one session.run). */
  static async open(rows: ProbeModelRows, opts: ProbeRunnerOptions = {}): Promise<ProbeModelRunner> {
    const base = rows.model.config as unknown as ModelManifest;
    if (!base || typeof base !== "object" || !Array.isArray(base.hookPoints))
      throw AppError.badInput(`model ${rows.model.name} has no manifest config; register it again`, "modelId");
    const hookName = new Map(rows.hookPoints.map((h) => [h.id, h.name]));
    const manifest: ModelManifest = {
      ...base,
      saes: rows.dictionaries.map((d) => ({ name: d.name, path: d.weightsPath, hookPoint: hookName.get(d.hookPointId) })) as ModelManifest["saes"],
    };
    const envThreads = Number(process.env.PROBE_THREADS);
    const threads = opts.threads ?? (Number.isInteger(envThreads) && envThreads > 0 ? envThreads : 1);
    const runner = await createRunner(manifest, { dir: modelDirectory(rows.model), intraOpNumThreads: threads, interOpNumThreads: 1 });
    const probe = new ProbeModelRunner(rows, runner.manifest, runner);
    if (runner.manifest.image) await probe.runPixels(new Float32Array(3 * runner.manifest.image.preprocess.size ** 2));
    if (runner.manifest.text) await probe.runText("a");
    return probe;
  }

  get hasImage(): boolean { return Boolean(this.manifest.image); }
  get hasText(): boolean { return Boolean(this.manifest.text); }

  /** Patches per side of the image grid (null without an image tower). */
  get gridSize(): number | null {
    const img = this.manifest.image;
    if (!img) return null;
    return img.gridSize ?? (img.patchSize ? Math.floor(img.preprocess.size / img.patchSize) : null);
  }

  /** PNG/JPEG bytes → every vision hook and SAE for this one image. */
  async runImage(bytes: Uint8Array): Promise<TowerActivations> {
    if (!this.hasImage) throw AppError.badInput(`model ${this.rows.model.name} has no image tower`, "image");
    let res: RunResult;
    try {
      res = await this.runner.runImages([bytes], this.visionHooks, { saes: this.visionSaes, batchSize: 1 });
    } catch (e) { return asInput(e); }
    return this.vision(res);
  }

  /** Already normalized pixels (one image in the manifest layout). */
  async runPixels(pixels: Float32Array): Promise<TowerActivations> {
    return this.vision(await this.runner.runPixels(pixels, this.visionHooks, { saes: this.visionSaes, batchSize: 1 }));
  }

  /** A text → every text hook and SAE (positions up to <eos> are valid). */
  async runText(text: string): Promise<TowerActivations> {
    if (!this.hasText) throw AppError.badInput(`model ${this.rows.model.name} has no text tower`, "text");
    let res: Awaited<ReturnType<Runner["runTexts"]>>;
    try {
      res = await this.runner.runTexts([text], this.textHooks, { saes: this.textSaes, batchSize: 1 });
    } catch (e) { return asInput(e); }
    const tok = res.tokens[0];
    return {
      tower: "TEXT", positions: this.manifest.text!.seqLen, valid: tok.eosPosition + 1, query: tok.eosPosition,
      hooks: res.hooks, saes: denseSaes(res), tokens: tok.tokens.slice(0, tok.eosPosition + 1),
    };
  }

  private vision(res: RunResult): TowerActivations {
    const grid = this.gridSize ?? 0;
    const img = this.manifest.image!;
    const positions = img.seqLen ?? grid * grid + 1;
    return { tower: "VISION", positions, valid: positions, query: 0, hooks: res.hooks, saes: denseSaes(res) };
  }

  async close(): Promise<void> {
    await this.runner.close();
  }
}

function denseSaes(res: RunResult): Record<string, Float32Array> {
  return Object.fromEntries(Object.entries(res.saes).map(([k, v]) => [k, v.data!]));
}
