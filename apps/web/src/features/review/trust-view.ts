// Words for the trusted label on the review page: the rule in one legend (the same rule as @mmatlas/labeling
// trustedLabelOf and docs/architecture.md), what each source means, and how votes and sources read.
export const TRUST_RULE_LEGEND = [
  "Trusted label, first rule that applies:",
  "1. accepted: a reviewer accepted it;",
  "2. consensus: ≥ 2 annotators, ≥ 2/3 of them give it, net votes ≥ 0, and the model's α ≥ 0.667 or its detection AUROC ≥ 0.65;",
  "3. score: the best-scored label (auto-label or proposal) with detection AUROC ≥ 0.8 and net votes ≥ 0;",
  "4. none: nothing is trusted yet.",
].join("\n");

const SOURCE_TEXT: Record<string, string> = {
  accepted: "accepted by a reviewer",
  consensus: "annotator consensus",
  score: "explanation score",
  none: "not trusted yet",
};

/** a trusted label's source in words (unknown sources as they are) */
export function trustSourceText(source: string): string {
  return SOURCE_TEXT[source] ?? source;
}

/** net votes with their sign: +2, 0, −1 */
export function votesText(votes: number): string {
  return votes > 0 ? `+${votes}` : votes < 0 ? `−${-votes}` : "0";
}

/** a candidate's sources, short: "auto (clip-dissect), annotation" */
export function sourcesText(sources: readonly string[]): string {
  const auto = sources.filter((s) => s.startsWith("auto:")).map((s) => s.slice(5));
  const rest = sources.filter((s) => !s.startsWith("auto:"));
  return [...(auto.length ? [`auto (${auto.join(", ")})`] : []), ...rest].join(", ");
}
