// The key a label's scores are stored and looked up by: lowercase, every run of non-alphanumeric characters one
// space, trimmed (the same rule as the SQL function label_search_normalize), so "Red-circle " and "red circle"
// share one score.
export function labelKey(label: string): string {
  return label
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}
