// The trust rule on hand-built units: accepted beats everything, a consensus needs α or a supporting score, a
// score alone needs ≥ 0.8 and no net down-votes, otherwise nothing is trusted.
import { labelCandidates, trustedLabelOf, type TrustAnnotation } from "../src/trusted-label";

const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const ann = (
  authorId: string,
  label: string,
  status: TrustAnnotation["status"],
  voteScore = 0,
  at = 0,
): TrustAnnotation => ({ authorId, label, status, voteScore, updatedAt: t(at) });

test("candidates merge auto-labels and annotations by label key, count each author's newest label once", () => {
  const c = labelCandidates({
    annotations: [
      ann("A", "red circle", "PROPOSED", 2, 1),
      ann("A", "Red-Circle", "PROPOSED", 1, 5), // A's newest: counted as A's rating
      ann("B", "blue", "PROPOSED", -1, 2),
      ann("C", "green", "DRAFT", 9, 3), // drafts are no candidates
      ann("D", "yellow", "REJECTED", 0, 3),
    ],
    autoLabels: [
      { label: "red circle", method: "clip-dissect" },
      { label: "square", method: "text-alignment" },
    ],
    scores: [
      { labelKey: "red circle", detectionAuroc: 0.9 },
      { labelKey: "square", detectionAuroc: 0.55 },
    ],
  });
  expect(c.map((x) => [x.labelKey, x.raters, x.votes, x.detectionAuroc, x.sources])).toEqual([
    ["red circle", 1, 3, 0.9, ["annotation", "auto:clip-dissect"]],
    ["blue", 1, -1, null, ["annotation"]],
    ["square", 0, 0, 0.55, ["auto:text-alignment"]],
  ]);
  expect(c[0].label).toBe("Red-Circle"); // the newest annotation's spelling
});

test("1. an accepted label is trusted, with a warning when its score is low", () => {
  const r = trustedLabelOf({
    annotations: [
      ann("A", "stripes", "ACCEPTED", 0, 1),
      ann("B", "dots", "PROPOSED", 3, 2),
      ann("C", "dots", "PROPOSED", 0, 3),
    ],
    autoLabels: [],
    scores: [
      { labelKey: "stripes", detectionAuroc: 0.6 },
      { labelKey: "dots", detectionAuroc: 0.95 },
    ],
    alpha: 0.9,
  });
  expect(r).toMatchObject({ label: "stripes", source: "accepted", raters: 3 });
  expect(r.majorityShare).toBeCloseTo(2 / 3, 12);
  expect(r.reason).toBe("accepted by a reviewer (detection AUROC 0.60: the model's similarity does not support it)");
});

test("2. consensus: 2 of 3 annotators with α ≥ 0.667, or with a supporting score when α is low", () => {
  const annotations = [ann("A", "dog", "PROPOSED", 1), ann("B", "Dog ", "PROPOSED"), ann("C", "cat", "PROPOSED")];
  const reliable = trustedLabelOf({ annotations, autoLabels: [], scores: [], alpha: 0.7 });
  expect(reliable).toMatchObject({
    label: "dog",
    source: "consensus",
    reason: "2 of 3 annotators agree; α 0.70 ≥ 0.667",
  });
  // α 0.4 and no score: the consensus is not enough, nothing is scored → none
  expect(trustedLabelOf({ annotations, autoLabels: [], scores: [], alpha: 0.4 })).toMatchObject({
    label: null,
    source: "none",
    reason: "not trusted yet: annotators disagree or α and score are too low; no scored label",
  });
  // α 0.4 but the label scores 0.70 ≥ 0.65 → consensus
  expect(
    trustedLabelOf({ annotations, autoLabels: [], scores: [{ labelKey: "dog", detectionAuroc: 0.7 }], alpha: 0.4 }),
  ).toMatchObject({
    label: "dog",
    source: "consensus",
    reason: "2 of 3 annotators agree; detection AUROC 0.70 ≥ 0.65 supports it (α 0.40)",
  });
});

test("2. no consensus when the majority share is below 2/3 or the label is voted down", () => {
  const split = [ann("A", "dog", "PROPOSED"), ann("B", "cat", "PROPOSED")]; // 1/2 < 2/3
  expect(trustedLabelOf({ annotations: split, autoLabels: [], scores: [], alpha: 1 }).source).toBe("none");
  const downVoted = [ann("A", "dog", "PROPOSED", -2), ann("B", "dog", "PROPOSED", 1)]; // net −1
  expect(trustedLabelOf({ annotations: downVoted, autoLabels: [], scores: [], alpha: 1 }).source).toBe("none");
});

test("3. a score ≥ 0.8 alone makes the best-scored, not voted-down label trusted", () => {
  const r = trustedLabelOf({
    annotations: [ann("A", "wheel", "PROPOSED", -1)],
    autoLabels: [
      { label: "circle", method: "clip-dissect" },
      { label: "wheel", method: "clip-dissect" },
    ],
    scores: [
      { labelKey: "wheel", detectionAuroc: 0.97 },
      { labelKey: "circle", detectionAuroc: 0.81 },
    ],
    alpha: null,
  });
  // "wheel" scores higher but is voted down (−1) → "circle"
  expect(r).toMatchObject({
    label: "circle",
    source: "score",
    reason: "best explanation score: detection AUROC 0.81 ≥ 0.8",
  });
});

test("4. nothing trusted: one annotator and a weak score", () => {
  const r = trustedLabelOf({
    annotations: [ann("A", "texture", "PROPOSED")],
    autoLabels: [{ label: "grass", method: "clip-dissect" }],
    scores: [{ labelKey: "grass", detectionAuroc: 0.79 }],
    alpha: 0.9,
  });
  expect(r).toMatchObject({
    label: null,
    source: "none",
    reason: "not trusted yet: one annotator; best score 0.79 < 0.8",
    raters: 1,
    majorityShare: 1,
  });
  expect(trustedLabelOf({ annotations: [], autoLabels: [], scores: [], alpha: null })).toMatchObject({
    label: null,
    source: "none",
    reason: "not trusted yet: no proposed label; no scored label",
    majorityShare: null,
    candidates: [],
  });
});
