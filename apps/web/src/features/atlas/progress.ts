// Pure sums of labeling progress rows (per hook point, per model) for the atlas browser.
import type { ProgressRow } from "./atlas-queries";

export interface ProgressTotals {
  total: number;
  labeled: number;
  disputed: number;
  unlabeled: number;
}

export function sumProgress(rows: readonly ProgressRow[]): ProgressTotals {
  return rows.reduce(
    (acc, r) => ({
      total: acc.total + r.total,
      labeled: acc.labeled + r.labeled,
      disputed: acc.disputed + r.disputed,
      unlabeled: acc.unlabeled + r.unlabeled,
    }),
    { total: 0, labeled: 0, disputed: 0, unlabeled: 0 },
  );
}

/** Share of units with a human label (labeled or disputed), 0 when there are no units. */
export function labeledShare(t: ProgressTotals): number {
  return t.total === 0 ? 0 : (t.labeled + t.disputed) / t.total;
}
