// Logit lens for a probed input: at every residual-stream hook (hook_resid_post, by layer) of the probed tower,
// each position (image: CLS + every patch; text: every token up to <eos>) read out through the tower's own
// ln_final + proj and ranked against concept texts embedded by the model's text tower → top-3 texts per cell.
// The last layer's read-out at the pooled position is the model's own embedding (embeddingCosine checks it).
// Models without read-out weights get `available: false` with a typed reason, never a silently empty grid.
import { lensReadout, lensTopK, type LensReadout } from "@mmatlas/atlas";
import type { HookPoint } from "@mmatlas/db";
import { AppError } from "@mmatlas/errors";
import { CONCEPTS } from "@mmatlas/model-zoo";
import { loadLensReadout, type LensReadoutResult, type LensUnavailableReason } from "./lens-weights";
import type { ProbeModelRunner, TowerActivations } from "./model-runner";
import { classEmbeddings } from "./text-bank";
import { normalizeRows } from "./zero-shot";

/** Texts kept per cell. */
export const LENS_TOP_K = 3;
/** Most concept texts a caller may give. */
export const MAX_LENS_TEXTS = 256;
const MAX_LENS_TEXT_CHARS = 200;

export interface LensConcept {
  /** short word shown in the grid */
  label: string;
  /** the prompt embedded by the text tower */
  prompt: string;
}

/**
 * Default concepts: the shapes world's colors, shapes, sizes and positions (one word each) and the words a
 * typographic image can spell ("“red”", prompt "the word red").
 */
export const DEFAULT_LENS_CONCEPTS: readonly LensConcept[] = CONCEPTS.flatMap((c): LensConcept[] => {
  if (c.family === "word") return [{ label: `“${c.value}”`, prompt: c.prompt }];
  if (c.family === "color" || c.family === "shape" || c.family === "size" || c.family === "position")
    return [{ label: c.value, prompt: c.prompt }];
  return [];
});

export interface LensCellResult {
  texts: string[];
  scores: number[];
}

export interface LensLayer {
  layer: number;
  hookPoint: string;
}

export interface ProbeLogitLens {
  available: boolean;
  reason: LensUnavailableReason | null;
  /** readable explanation when unavailable */
  message: string | null;
  tower: "VISION" | "TEXT";
  /** rows of `cells`, by layer (the last one is read out exactly as the model reads its embedding) */
  layers: LensLayer[];
  /** patch grid of the image (null for texts) */
  gridRows: number | null;
  gridCols: number | null;
  /** positions before the patches (CLS: 1) or 0 for texts; cells[l][0..prefix-1] are those */
  prefix: number;
  /** cells[layer][position]: top texts with their cosine, best first */
  cells: LensCellResult[][];
  /** how many concept texts were ranked */
  conceptCount: number;
  /** cosine of the last layer's read-out at the pooled position (CLS / <eos>) with the tower's embedding */
  embeddingCosine: number | null;
}

/** Checks caller-given lens texts (each one is both label and prompt). */
export function checkLensTexts(texts: string[] | null | undefined): readonly LensConcept[] {
  if (texts == null) return DEFAULT_LENS_CONCEPTS;
  if (!Array.isArray(texts) || texts.length < 2 || texts.length > MAX_LENS_TEXTS)
    throw AppError.badInput(`give 2..${MAX_LENS_TEXTS} lens texts`, "lensTexts");
  const out = texts.map((t) => {
    const s = typeof t === "string" ? t.trim() : "";
    if (!s || s.length > MAX_LENS_TEXT_CHARS)
      throw AppError.badInput(`every lens text must be 1..${MAX_LENS_TEXT_CHARS} characters`, "lensTexts");
    return s;
  });
  if (new Set(out).size !== out.length) throw AppError.badInput("lens texts must differ", "lensTexts");
  return out.map((s) => ({ label: s, prompt: s }));
}

const readoutCache = new WeakMap<ProbeModelRunner, Map<string, LensReadoutResult>>();

function readoutFor(runner: ProbeModelRunner, tower: "VISION" | "TEXT", dModel: number): LensReadoutResult {
  let cache = readoutCache.get(runner);
  if (!cache) readoutCache.set(runner, (cache = new Map()));
  const key = `${tower}:${dModel}`;
  let hit = cache.get(key);
  if (!hit) cache.set(key, (hit = loadLensReadout(runner.rows.model, tower, dModel, runner.embedDim)));
  return hit;
}

/** The residual-stream hooks of a tower that this run produced, by layer. */
export function residualHooks(runner: ProbeModelRunner, act: TowerActivations): HookPoint[] {
  return runner.rows.hookPoints
    .filter(
      (h) => h.tower === act.tower && h.kind === "RESID" && h.name.endsWith("hook_resid_post") && act.hooks[h.name],
    )
    .sort((a, b) => a.layer - b.layer);
}

/** The residual vectors [positions × width] of one hook for the run's valid positions. */
function residual(act: TowerActivations, hook: HookPoint, positions: number): Float32Array {
  return act.hooks[hook.name].data.subarray(0, positions * hook.width) as Float32Array;
}

function unavailable(
  tower: "VISION" | "TEXT",
  reason: LensUnavailableReason,
  message: string,
  grid: number | null,
  prefix: number,
): ProbeLogitLens {
  return {
    available: false,
    reason,
    message,
    tower,
    layers: [],
    gridRows: grid,
    gridCols: grid,
    prefix,
    cells: [],
    conceptCount: 0,
    embeddingCosine: null,
  };
}

/** The logit-lens grid of one probed input (see the header). */
export async function logitLensFor(
  runner: ProbeModelRunner,
  act: TowerActivations,
  concepts: readonly LensConcept[],
): Promise<ProbeLogitLens> {
  const grid = act.tower === "VISION" ? runner.gridSize : null;
  const prefix = act.tower === "VISION" ? act.positions - (grid ?? 0) ** 2 : 0;
  const positions = act.tower === "VISION" ? act.positions : act.valid;
  if (!runner.hasText)
    return unavailable(act.tower, "NO_TEXT_TOWER", "the model has no text tower to embed concept texts", grid, prefix);
  const hooks = residualHooks(runner, act);
  if (!hooks.length)
    return unavailable(
      act.tower,
      "NO_RESIDUAL_HOOKS",
      `the model exposes no hook_resid_post hook point on its ${act.tower.toLowerCase()} tower`,
      grid,
      prefix,
    );
  const dModel = hooks[0].width;
  const loaded = readoutFor(runner, act.tower, dModel);
  if (!loaded.ok) return unavailable(act.tower, loaded.reason, loaded.message, grid, prefix);
  const readout: LensReadout = loaded.readout;
  const texts = await classEmbeddings(
    runner,
    concepts.map((c) => c.prompt),
  );
  const e = runner.embedDim;
  const cells: LensCellResult[][] = [];
  let last: Float32Array | null = null;
  for (const h of hooks) {
    const out = lensReadout(residual(act, h, positions), positions, readout);
    last = out;
    cells.push(
      lensTopK(out, texts, e, LENS_TOP_K).map((c) => ({
        texts: c.indices.map((i) => concepts[i].label),
        scores: c.scores,
      })),
    );
  }
  const own = normalizeRows(act.embeds.subarray(0, e), e);
  let embeddingCosine = 0;
  for (let i = 0; i < e; i++) embeddingCosine += last![act.query * e + i] * own[i];
  return {
    available: true,
    reason: null,
    message: null,
    tower: act.tower,
    layers: hooks.map((h) => ({ layer: h.layer, hookPoint: h.name })),
    gridRows: grid,
    gridCols: grid,
    prefix,
    cells,
    conceptCount: concepts.length,
    embeddingCosine,
  };
}
