import { scoreTitle } from "./LabelScoreCell";

it("a score's tooltip names every figure, its sample and the reasons for missing ones", () => {
  const title = scoreTitle({
    detectionAuroc: 0.8765,
    balancedAccuracy: 0.81,
    localization: null,
    tagAuroc: 0.9,
    activatingExamples: 40,
    nonActivatingExamples: 40,
    heldOutExamples: 512,
    notes: ["no localization: the model ships no weights file with its read-out (ln_final, proj)"],
  });
  expect(title.split("\n")).toEqual([
    "detection AUROC 0.88 (40 activating vs 40 non-activating of 512 held-out examples)",
    "balanced accuracy 0.81",
    "localization ρ –",
    "tag AUROC 0.90",
    "no localization: the model ships no weights file with its read-out (ln_final, proj)",
  ]);
});
