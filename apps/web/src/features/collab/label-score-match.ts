// Which stored score belongs to the label being typed in the collaborative panel: scores are keyed by the label
// with case and punctuation ignored (the same rule as @mmatlas/atlas labelKey), so "Red-circle " finds "red circle".
export function labelKeyOf(label: string): string {
  return label
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** the score of `text` among a unit's scores; null while the text is empty or not scored (yet) */
export function scoreOfLabelText<S extends { label: string }>(scores: readonly S[], text: string): S | null {
  const key = labelKeyOf(text);
  if (!key) return null;
  return scores.find((s) => labelKeyOf(s.label) === key) ?? null;
}
