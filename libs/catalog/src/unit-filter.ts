// The filter of a unit listing (structural fields + label search), shared by units.ts (pages, counts) and
// label-search.ts (the search part) without either importing the other.
import type { LabelState, UnitKind } from "@mmatlas/db";

export interface UnitFilter {
  /** model id or name (listUnits / countUnits resolve it; unitWhere takes an id) */
  modelId?: string | null;
  hookPointId?: string | null;
  /** TransformerLens hook name, e.g. vision.blocks.1.mlp.hook_post */
  hookName?: string | null;
  dictionaryId?: string | null;
  kind?: UnitKind | null;
  labelState?: LabelState | null;
  /** words that start a word sequence of the current label, the top auto-label or a proposed/accepted annotation
   *  label (case and punctuation ignored; label-search.ts) */
  search?: string | null;
  /** best label score (Unit.bestLabelScore, detection AUROC) at least / at most; either one leaves out unscored units */
  minBestScore?: number | null;
  maxBestScore?: number | null;
}

/** listing orders: the catalog order (hook point, index), or scored units by their best label score */
export type UnitSort = "CATALOG" | "BEST_SCORE_DESC" | "BEST_SCORE_ASC";
