// The trust rule (docs/architecture.md, "Trusted label"): combines a unit's human evidence (reviewer decisions,
// annotators' labels and votes, the model's Krippendorff's α) with the labels' explanation scores into the one
// label a reader should trust, with the reason. Pure: the caller loads annotations, auto-labels, scores and α.
import { labelKey } from "@mmatlas/atlas";

/** detection AUROC at which a score alone makes a label trusted (the "good" colour of the web's score cell) */
export const TRUST_SCORE_STRONG = 0.8;
/** detection AUROC at which a score supports a human consensus when α is low (the "fair" colour) */
export const TRUST_SCORE_SUPPORT = 0.65;
/** Krippendorff's α from which annotators of a model are reliable on their own (Krippendorff's 0.667 tentative bound) */
export const TRUST_ALPHA_RELIABLE = 0.667;
/** share of a unit's raters that must give the majority label for a consensus */
export const TRUST_MAJORITY_SHARE = 2 / 3;

export interface TrustAnnotation {
  authorId: string;
  label: string;
  status: "DRAFT" | "PROPOSED" | "ACCEPTED" | "REJECTED";
  voteScore: number;
  updatedAt: Date;
}

export interface TrustScore {
  labelKey: string;
  detectionAuroc: number | null;
}

export interface TrustInput {
  annotations: readonly TrustAnnotation[];
  autoLabels: readonly { label: string; method: string }[];
  scores: readonly TrustScore[];
  /** Krippendorff's α (nominal) of the unit's model; null when undefined */
  alpha: number | null;
}

/** one candidate label of a unit: an auto-label and/or proposed/accepted annotations with the same label key */
export interface LabelCandidate {
  /** as first written (newest annotation, else the auto-label) */
  label: string;
  labelKey: string;
  /** "auto:<method>" and "annotation" */
  sources: string[];
  /** annotators whose newest proposed/accepted label of the unit is this one */
  raters: number;
  /** net votes over the proposed/accepted annotations with this label */
  votes: number;
  accepted: boolean;
  detectionAuroc: number | null;
}

export type TrustSource = "accepted" | "consensus" | "score" | "none";

export interface TrustedLabel {
  label: string | null;
  source: TrustSource;
  reason: string;
  /** annotators with a proposed/accepted label on the unit */
  raters: number;
  /** share of raters giving the majority label (null without raters) */
  majorityShare: number | null;
  alpha: number | null;
  /** every candidate: accepted first, then by raters, votes, score */
  candidates: LabelCandidate[];
}

const f2 = (x: number) => x.toFixed(2);
const LIVE = new Set(["PROPOSED", "ACCEPTED"]);

/** Pure: the unit's candidate labels with their votes, raters and scores. */
export function labelCandidates(input: Omit<TrustInput, "alpha">): LabelCandidate[] {
  const byKey = new Map<string, LabelCandidate>();
  const scoreOf = new Map(input.scores.map((s) => [s.labelKey, s.detectionAuroc]));
  const candidate = (label: string): LabelCandidate | null => {
    const key = labelKey(label);
    if (!key) return null;
    let c = byKey.get(key);
    if (!c)
      byKey.set(
        key,
        (c = {
          label,
          labelKey: key,
          sources: [],
          raters: 0,
          votes: 0,
          accepted: false,
          detectionAuroc: scoreOf.get(key) ?? null,
        }),
      );
    return c;
  };
  const live = input.annotations
    .filter((a) => LIVE.has(a.status))
    .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
  const counted = new Set<string>();
  for (const a of live) {
    const c = candidate(a.label);
    if (!c) continue;
    if (!c.sources.includes("annotation")) {
      c.sources.push("annotation");
      c.label = a.label;
    }
    c.votes += a.voteScore;
    if (a.status === "ACCEPTED") c.accepted = true;
    if (!counted.has(a.authorId)) {
      counted.add(a.authorId);
      c.raters += 1;
    }
  }
  for (const l of input.autoLabels) {
    const c = candidate(l.label);
    const source = `auto:${l.method}`;
    if (c && !c.sources.includes(source)) c.sources.push(source);
  }
  return [...byKey.values()].sort(
    (a, b) =>
      Number(b.accepted) - Number(a.accepted) ||
      b.raters - a.raters ||
      b.votes - a.votes ||
      (b.detectionAuroc ?? -1) - (a.detectionAuroc ?? -1) ||
      a.labelKey.localeCompare(b.labelKey),
  );
}

/**
 * Pure: the unit's trusted label. In order:
 * 1. accepted — a reviewer accepted it (the newest accepted annotation); a low score is named in the reason;
 * 2. consensus — ≥ 2 annotators, ≥ 2/3 of them give the label, its net votes are ≥ 0, and either the model's
 *    α ≥ 0.667 or the label's detection AUROC ≥ 0.65;
 * 3. score — the best-scored candidate (auto-label or proposal) with detection AUROC ≥ 0.8 and net votes ≥ 0;
 * 4. none — no label is trusted yet (the reason says what is missing).
 */
export function trustedLabelOf(input: TrustInput): TrustedLabel {
  const candidates = labelCandidates(input);
  const raters = candidates.reduce((s, c) => s + c.raters, 0);
  const majority =
    candidates.filter((c) => c.raters > 0).sort((a, b) => b.raters - a.raters || b.votes - a.votes)[0] ?? null;
  const majorityShare = majority && raters > 0 ? majority.raters / raters : null;
  const out = (label: string | null, source: TrustSource, reason: string): TrustedLabel => ({
    label,
    source,
    reason,
    raters,
    majorityShare,
    alpha: input.alpha,
    candidates,
  });
  const scoreText = (c: LabelCandidate) =>
    c.detectionAuroc == null ? "not scored" : `detection AUROC ${f2(c.detectionAuroc)}`;

  const accepted = candidates.find((c) => c.accepted);
  if (accepted) {
    const weak = accepted.detectionAuroc != null && accepted.detectionAuroc < TRUST_SCORE_SUPPORT;
    return out(
      accepted.label,
      "accepted",
      `accepted by a reviewer (${scoreText(accepted)}${weak ? ": the model's similarity does not support it" : ""})`,
    );
  }

  if (majority && raters >= 2 && majorityShare! >= TRUST_MAJORITY_SHARE && majority.votes >= 0) {
    const alphaOk = input.alpha != null && input.alpha >= TRUST_ALPHA_RELIABLE;
    const scoreOk = majority.detectionAuroc != null && majority.detectionAuroc >= TRUST_SCORE_SUPPORT;
    if (alphaOk || scoreOk) {
      const why = alphaOk
        ? `α ${f2(input.alpha!)} ≥ ${TRUST_ALPHA_RELIABLE}`
        : `${scoreText(majority)} ≥ ${TRUST_SCORE_SUPPORT} supports it (α ${input.alpha == null ? "undefined" : f2(input.alpha)})`;
      return out(majority.label, "consensus", `${majority.raters} of ${raters} annotators agree; ${why}`);
    }
  }

  const best = candidates
    .filter((c) => c.detectionAuroc != null && c.votes >= 0)
    .sort((a, b) => b.detectionAuroc! - a.detectionAuroc! || a.labelKey.localeCompare(b.labelKey))[0];
  if (best && best.detectionAuroc! >= TRUST_SCORE_STRONG) {
    return out(best.label, "score", `best explanation score: ${scoreText(best)} ≥ ${TRUST_SCORE_STRONG}`);
  }

  const missing = best ? `best score ${f2(best.detectionAuroc!)} < ${TRUST_SCORE_STRONG}` : "no scored label";
  const humans =
    raters === 0
      ? "no proposed label"
      : raters === 1
        ? "one annotator"
        : "annotators disagree or α and score are too low";
  return out(null, "none", `not trusted yet: ${humans}; ${missing}`);
}
