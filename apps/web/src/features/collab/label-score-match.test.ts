import { labelKeyOf, scoreOfLabelText } from "./label-score-match";

it("matches the typed label to its score ignoring case, spacing and punctuation", () => {
  const scores = [
    { label: "red circle", detectionAuroc: 0.9 },
    { label: "blue", detectionAuroc: 0.4 },
  ];
  expect(labelKeyOf("  Red-Circle! ")).toBe("red circle");
  expect(scoreOfLabelText(scores, "Red-circle ")?.detectionAuroc).toBe(0.9);
  expect(scoreOfLabelText(scores, "blue square")).toBeNull();
  expect(scoreOfLabelText(scores, " -- ")).toBeNull();
});
