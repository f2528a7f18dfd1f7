// One model, ready to probe: onnxruntime sessions opened once (every hook point and every SAE of a tower
// exposed in one session, so any probe is a single session.run), built from the Model / HookPoint /
// Dictionary rows (Model.config is the manifest, Model.directory holds the ONNX and SAE files).
// Faults are isolated per dictionary: an SAE that cannot load or run is left out of the sessions and only the
// probes that need it fail (UNAVAILABLE), with the reason.
import { modelDirectory, runtimeManifest } from "@mmatlas/catalog";
import type { Dictionary, HookPoint, Model } from "@mmatlas/db";
import { AppError } from "@mmatlas/errors";
import { normalizeRows } from "./zero-shot";
import {
  createRunner,
  errorReason,
  isInferenceError,
  neuronDirection,
  preprocessImages,
  readableTokens,
  type ModelManifest,
  type RunResult,
  type Runner,
} from "@mmatlas/inference";

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
  /** the tower's output embedding [embedDim] */
  embeds: Float32Array;
}

/** What to add, at every position of one vision hook point: strength × direction. */
export interface SteeringSpec {
  hook: HookPoint;
  /** dictionary whose features are read after steering (SAE units), else null */
  dictionary: Dictionary | null;
  direction: Float32Array;
  strength: number;
}

export interface ProbeRunnerOptions {
  /** onnxruntime intra-op threads (default PROBE_THREADS, else 1: a single small example runs fastest on one thread) */
  threads?: number;
}

/** Signature of the rows a runner was built from (a new hook point or SAE means a rebuild). */
export function rowsSignature(rows: ProbeModelRows): string {
  return JSON.stringify([
    rows.model.id,
    rows.model.directory,
    rows.hookPoints.map((h) => h.id).sort(),
    rows.dictionaries.map((d) => `${d.id}:${d.weightsPath}:${new Date(d.updatedAt).getTime()}`).sort(),
  ]);
}

const asInput = (e: unknown): never => {
  if (isInferenceError(e) && (e.code === "BAD_IMAGE" || e.code === "BAD_INPUT"))
    throw AppError.badInput(e.reason, e.code === "BAD_IMAGE" ? "image" : "input");
  if (isInferenceError(e) && e.code === "BAD_INTERVENTION") throw AppError.badInput(e.reason, "unitId");
  throw e;
};

export class ProbeModelRunner {
  readonly rows: ProbeModelRows;
  readonly signature: string;
  readonly manifest: ModelManifest;
  /** dictionaries left out of the sessions, with the reason (name → message) */
  readonly unavailable: ReadonlyMap<string, string>;
  private readonly runner: Runner;
  private readonly visionHooks: string[];
  private readonly textHooks: string[];
  private visionSaes: string[];
  private textSaes: string[];

  private constructor(rows: ProbeModelRows, manifest: ModelManifest, runner: Runner, unavailable: Map<string, string>) {
    this.rows = rows;
    this.signature = rowsSignature(rows);
    this.manifest = manifest;
    this.runner = runner;
    this.unavailable = unavailable;
    const known = new Set(manifest.hookPoints.map((h) => h.name));
    const hooksOf = (t: ProbeTower) =>
      rows.hookPoints.filter((h) => h.tower === t && known.has(h.name)).map((h) => h.name);
    this.visionHooks = hooksOf("VISION");
    this.textHooks = hooksOf("TEXT");
    const towerOf = new Map(rows.hookPoints.map((h) => [h.id, h.tower]));
    const saesOf = (t: ProbeTower) =>
      rows.dictionaries.filter((d) => towerOf.get(d.hookPointId) === t && !unavailable.has(d.name)).map((d) => d.name);
    this.visionSaes = saesOf("VISION");
    this.textSaes = saesOf("TEXT");
  }

  /** Opens the towers and warms both sessions up (the first real probe then costs one session.run). */
  static async open(rows: ProbeModelRows, opts: ProbeRunnerOptions = {}): Promise<ProbeModelRunner> {
    const manifest = runtimeManifest(rows.model, rows.hookPoints, rows.dictionaries);
    const envThreads = Number(process.env.PROBE_THREADS);
    const threads = opts.threads ?? (Number.isInteger(envThreads) && envThreads > 0 ? envThreads : 1);
    let runner: Runner;
    try {
      runner = await createRunner(manifest, {
        dir: modelDirectory(rows.model),
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
      });
    } catch (e) {
      throw new AppError("UNAVAILABLE", `model ${rows.model.name} cannot be opened: ${errorReason(e)}`, {
        modelId: rows.model.id,
      });
    }
    const unavailable = new Map<string, string>();
    for (const d of rows.dictionaries) {
      try {
        runner.checkSae(d.name);
      } catch (e) {
        unavailable.set(d.name, errorReason(e));
      }
    }
    const probe = new ProbeModelRunner(rows, runner.manifest, runner, unavailable);
    try {
      await probe.warmUp();
    } catch (e) {
      await probe.isolateFaults();
      try {
        await probe.warmUp();
      } catch (again) {
        await runner.close();
        throw new AppError("UNAVAILABLE", `model ${rows.model.name} cannot run: ${errorReason(again)}`, {
          modelId: rows.model.id,
          cause: errorReason(e),
        });
      }
    }
    return probe;
  }

  private async warmUp(): Promise<void> {
    if (this.manifest.image) await this.runner.runBlank("VISION", this.visionHooks, { saes: this.visionSaes });
    if (this.manifest.text) await this.runner.runBlank("TEXT", this.textHooks, { saes: this.textSaes });
  }

  /** After a failed warm-up: runs each SAE alone and leaves out those that fail. */
  private async isolateFaults(): Promise<void> {
    const unavailable = this.unavailable as Map<string, string>;
    const tryEach = async (names: string[], run: (saes: string[]) => Promise<unknown>): Promise<string[]> => {
      const ok: string[] = [];
      for (const name of names) {
        try {
          await run([name]);
          ok.push(name);
        } catch (e) {
          unavailable.set(name, errorReason(e));
        }
      }
      return ok;
    };
    if (this.manifest.image)
      this.visionSaes = await tryEach(this.visionSaes, (saes) => this.runner.runBlank("VISION", [], { saes }));
    if (this.manifest.text)
      this.textSaes = await tryEach(this.textSaes, (saes) => this.runner.runBlank("TEXT", [], { saes }));
  }

  /** Throws UNAVAILABLE when a dictionary was left out of the sessions. */
  assertAvailable(dictionary: Pick<Dictionary, "name">): void {
    const reason = this.unavailable.get(dictionary.name);
    if (reason !== undefined)
      throw new AppError("UNAVAILABLE", `dictionary ${dictionary.name} cannot run on this model: ${reason}`, {
        field: "dictionaryId",
        dictionary: dictionary.name,
      });
  }

  get hasImage(): boolean {
    return Boolean(this.manifest.image);
  }
  get hasText(): boolean {
    return Boolean(this.manifest.text);
  }

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
    } catch (e) {
      return asInput(e);
    }
    return this.vision(res);
  }

  /** A text → every text hook and SAE (positions up to <eos> are valid). */
  async runText(text: string): Promise<TowerActivations> {
    if (!this.hasText) throw AppError.badInput(`model ${this.rows.model.name} has no text tower`, "text");
    let res: Awaited<ReturnType<Runner["runTexts"]>>;
    try {
      res = await this.runner.runTexts([text], this.textHooks, { saes: this.textSaes, batchSize: 1 });
    } catch (e) {
      return asInput(e);
    }
    const tok = res.tokens[0];
    return {
      tower: "TEXT",
      positions: this.manifest.text!.seqLen,
      valid: tok.eosPosition + 1,
      query: tok.eosPosition,
      hooks: res.hooks,
      saes: denseSaes(res),
      tokens: readableTokens(tok),
      embeds: res.embeds.data,
    };
  }

  private vision(res: RunResult): TowerActivations {
    const grid = this.gridSize ?? 0;
    const img = this.manifest.image!;
    const positions = img.seqLen ?? grid * grid + 1;
    return {
      tower: "VISION",
      positions,
      valid: positions,
      query: 0,
      hooks: res.hooks,
      saes: denseSaes(res),
      embeds: res.embeds.data,
    };
  }

  /** Width of the joint embedding space. */
  get embedDim(): number {
    return this.manifest.embedDim;
  }

  /** CLIP's learned temperature (manifest logitScale; 100, CLIP's cap, when the manifest has none). */
  get logitScale(): number {
    return this.manifest.logitScale ?? 100;
  }

  /**
   * The direction a unit is steered along at its hook point: an SAE feature's decoder row (d_in) at the SAE's
   * hook, a neuron's basis vector at its own hook (an MLP neuron's post-activation, which then flows through
   * the MLP's output weights). Attention heads have no single direction: BAD_USER_INPUT.
   */
  steeringDirection(
    kind: "NEURON" | "SAE_FEATURE" | "ATTENTION_HEAD",
    hook: HookPoint,
    dictionary: Dictionary | null,
    index: number,
  ): Float32Array {
    if (kind === "ATTENTION_HEAD")
      throw AppError.badInput(
        "attention heads cannot be steered (no single direction to add); pick a neuron or an SAE feature",
        "unitId",
      );
    try {
      if (kind === "SAE_FEATURE") {
        if (!dictionary) throw AppError.badInput("an SAE feature needs a dictionary", "unitId");
        this.assertAvailable(dictionary);
        return this.runner.sae(dictionary.name).decoderDirection(index);
      }
      return neuronDirection(hook.width, index);
    } catch (e) {
      return asInput(e);
    }
  }

  /**
   * One image, twice, preprocessed once: the plain run (every vision hook and SAE, the probe's own session)
   * and the steered run (X → X + strength × direction at the hook, every position), which returns the hook
   * (and the unit's SAE) as read after the edit, so the unit's own activation can be compared.
   */
  async runImageSteered(
    bytes: Uint8Array,
    steer: SteeringSpec,
  ): Promise<{ before: TowerActivations; after: TowerActivations }> {
    if (!this.hasImage) throw AppError.badInput(`model ${this.rows.model.name} has no image tower`, "image");
    if (steer.hook.tower !== "VISION")
      throw AppError.badInput(
        `${steer.hook.name} is on the ${steer.hook.tower} tower: steering acts on the image tower`,
        "unitId",
      );
    if (!Number.isFinite(steer.strength)) throw AppError.badInput("strength must be a finite number", "strength");
    try {
      const pixels = preprocessImages([bytes], this.manifest.image!.preprocess);
      const saes = steer.dictionary ? [steer.dictionary.name] : [];
      const [plain, steered] = await Promise.all([
        this.runner.runPixels(pixels, this.visionHooks, { saes: this.visionSaes, batchSize: 1 }),
        this.runner.runPixels(pixels, [steer.hook.name], {
          saes,
          batchSize: 1,
          intervention: { hook: steer.hook.name, add: steer.direction, scale: steer.strength },
        }),
      ]);
      return { before: this.vision(plain), after: this.vision(steered) };
    } catch (e) {
      return asInput(e);
    }
  }

  /** Unit-norm text-tower embeddings [texts × embedDim] (batches of 64). */
  async embedTexts(texts: string[]): Promise<Float32Array> {
    if (!this.hasText)
      throw AppError.badInput(
        `model ${this.rows.model.name} has no text tower to embed class prompts or captions`,
        "classes",
      );
    if (texts.length === 0) return new Float32Array(0);
    let res: RunResult;
    try {
      res = await this.runner.runTexts(texts, [], { batchSize: 64 });
    } catch (e) {
      return asInput(e);
    }
    return normalizeRows(res.embeds.data, this.embedDim);
  }

  async close(): Promise<void> {
    await this.runner.close();
  }
}

function denseSaes(res: RunResult): Record<string, Float32Array> {
  return Object.fromEntries(Object.entries(res.saes).map(([k, v]) => [k, v.data!]));
}
