// The unit table's best-score controls, read from the URL (?sort=best-desc|best-asc&min=0.8&max=0.6): the
// `units` query's sort and minBestScore / maxBestScore (both leave out unscored units). The API cannot sort by
// score while searching, so a search turns the score sort off (with a note).
import type { UnitSort } from "../../gql/graphql";

export type ScoreSortParam = "best-desc" | "best-asc" | null;

const SORTS: Record<string, UnitSort> = { "best-desc": "BEST_SCORE_DESC", "best-asc": "BEST_SCORE_ASC" };

/** the sort a URL parameter asks for (unknown: catalog order, null) */
export function scoreSortFromParam(value: string | null | undefined): ScoreSortParam {
  return value === "best-desc" || value === "best-asc" ? value : null;
}

/** a score bound from the URL: a number in [0, 1], else null (ignored) */
export function scoreBoundFromParam(value: string | null | undefined): number | null {
  if (value == null || value.trim() === "") return null;
  const x = Number(value);
  return Number.isFinite(x) && x >= 0 && x <= 1 ? x : null;
}

export interface UnitScoreQuery {
  sort: UnitSort | null;
  minBestScore: number | null;
  maxBestScore: number | null;
  /** why a requested setting is not applied (null: all applied) */
  note: string | null;
}

/** the query arguments for the table's score controls */
export function unitScoreQuery(p: {
  sort: ScoreSortParam;
  min: number | null;
  max: number | null;
  search: string;
}): UnitScoreQuery {
  const searching = p.search.trim() !== "";
  const sort = p.sort && !searching ? SORTS[p.sort] : null;
  const notes: string[] = [];
  if (p.sort && searching) notes.push("sorting by best score is off while searching");
  let { min, max } = p;
  if (min != null && max != null && min > max) {
    notes.push(`min ${min} > max ${max}: bounds ignored`);
    min = null;
    max = null;
  }
  return { sort, minBestScore: min, maxBestScore: max, note: notes.length ? notes.join("; ") : null };
}
