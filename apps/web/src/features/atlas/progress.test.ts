// sumProgress / labeledShare: sums per field; share counts labeled + disputed.
import { labeledShare, sumProgress } from "./progress";

test("sums rows and computes the labeled share", () => {
  const t = sumProgress([
    { hookPointId: "h", dictionaryId: null, kind: "NEURON", total: 10, labeled: 2, disputed: 1, unlabeled: 7 },
    { hookPointId: "h", dictionaryId: "d", kind: "SAE_FEATURE", total: 6, labeled: 0, disputed: 1, unlabeled: 5 },
  ]);
  expect(t).toEqual({ total: 16, labeled: 2, disputed: 2, unlabeled: 12 });
  expect(labeledShare(t)).toBe(0.25);
  expect(labeledShare(sumProgress([]))).toBe(0);
});
