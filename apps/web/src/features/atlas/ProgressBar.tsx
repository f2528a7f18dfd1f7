// A thin stacked bar: labeled (green), disputed (amber), unlabeled (grey), with counts in the tooltip.
import type { ProgressTotals } from "./progress";

export function ProgressBar({ totals, label }: { totals: ProgressTotals; label?: string }) {
  const pct = (n: number) => (totals.total === 0 ? 0 : (100 * n) / totals.total);
  const title = `${totals.labeled} labeled · ${totals.disputed} disputed · ${totals.unlabeled} unlabeled of ${totals.total}`;
  return (
    <div className="progress" title={title} aria-label={label ?? title} role="img">
      <span className="progress__labeled" style={{ width: `${pct(totals.labeled)}%` }} />
      <span className="progress__disputed" style={{ width: `${pct(totals.disputed)}%` }} />
    </div>
  );
}
