import { sourcesText, TRUST_RULE_LEGEND, trustSourceText, votesText } from "./trust-view";

it("names each source of a trusted label", () => {
  expect(trustSourceText("consensus")).toBe("annotator consensus");
  expect(trustSourceText("none")).toBe("not trusted yet");
  expect(trustSourceText("other")).toBe("other");
});

it("writes votes with their sign and sources short", () => {
  expect([votesText(2), votesText(0), votesText(-3)]).toEqual(["+2", "0", "−3"]);
  expect(sourcesText(["annotation", "auto:clip-dissect", "auto:text-alignment"])).toBe(
    "auto (clip-dissect, text-alignment), annotation",
  );
  expect(sourcesText([])).toBe("");
});

it("the legend states the rule's thresholds", () => {
  for (const t of ["≥ 0.667", "≥ 0.65", "≥ 0.8", "2/3"]) expect(TRUST_RULE_LEGEND).toContain(t);
});
