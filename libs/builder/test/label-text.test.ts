import { labelConcepts, labelKey, labelPrompt } from "../src/scoring/label-text";
import { tagConceptsOf } from "../src/scoring/unit-label-scores";

const vocabulary = {
  labels: ["red", "circle", "left", "typographic"],
  prompts: ["a red shape", "a circle", "a shape on the left", "the word"],
};

it("label keys ignore case and punctuation", () => {
  expect(labelKey("  Red-Circle!! ")).toBe("red circle");
  expect(labelKey("Ünïcode  ok")).toBe("ünïcode ok");
});

it("vocabulary labels are scored with the vocabulary's prompt, others as written", () => {
  expect(labelPrompt("Red", vocabulary)).toBe("a red shape");
  expect(labelPrompt(" red circle ", vocabulary)).toBe("red circle");
});

it("labels name ground-truth concepts only when every content word is a tag value", () => {
  const tags = tagConceptsOf([{ tags: ["color:red", "shape:circle"] }, { tags: ["typographic", "word:blue"] }]);
  expect(tags.perExample[0]).toEqual(new Set(["red", "circle"]));
  expect(tags.perExample[1]).toEqual(new Set(["typographic", "blue", "word:blue"]));
  expect(labelConcepts("a red circle", tags.values)).toEqual(["red", "circle"]);
  expect(labelConcepts("the word blue", tags.values)).toEqual(["word:blue"]);
  expect(labelConcepts("the word red", tags.values)).toBeNull();
  expect(labelConcepts("zebra", tags.values)).toBeNull();
  expect(labelConcepts("the", tags.values)).toBeNull();
});
