// Unit label state from annotations: unlabeled, labeled, disputed, and which label is current.
import { computeLabelState } from "../src/label-state";
import { nextVote } from "../src/votes";
import { normalizeConfidence, normalizeLabel, normalizeTags } from "../src/validation";

const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 0, minute));

it("is UNLABELED without proposed or accepted annotations", () => {
  expect(computeLabelState([])).toEqual({ labelState: "UNLABELED", currentLabel: null });
  expect(
    computeLabelState([
      { label: "red", status: "DRAFT", updatedAt: at(1) },
      { label: "blue", status: "REJECTED", updatedAt: at(2) },
    ]),
  ).toEqual({ labelState: "UNLABELED", currentLabel: null });
});

it("is LABELED when proposals agree (case and spacing ignored), preferring the newest accepted label", () => {
  expect(
    computeLabelState([
      { label: "Red  circle", status: "PROPOSED", updatedAt: at(5) },
      { label: "red circle", status: "ACCEPTED", updatedAt: at(1) },
    ]),
  ).toEqual({ labelState: "LABELED", currentLabel: "red circle" });
  expect(
    computeLabelState([
      { label: "red", status: "PROPOSED", updatedAt: at(1) },
      { label: "RED", status: "PROPOSED", updatedAt: at(3) },
    ]),
  ).toEqual({ labelState: "LABELED", currentLabel: "RED" });
});

it("is DISPUTED when two live annotations disagree; drafts and rejections do not count", () => {
  expect(
    computeLabelState([
      { label: "red", status: "ACCEPTED", updatedAt: at(1) },
      { label: "blue", status: "PROPOSED", updatedAt: at(2) },
    ]),
  ).toEqual({ labelState: "DISPUTED", currentLabel: "red" });
  expect(
    computeLabelState([
      { label: "red", status: "PROPOSED", updatedAt: at(1) },
      { label: "blue", status: "DRAFT", updatedAt: at(2) },
      { label: "green", status: "REJECTED", updatedAt: at(3) },
    ]),
  ).toEqual({ labelState: "LABELED", currentLabel: "red" });
});

it("toggles votes", () => {
  expect(nextVote(null, 1)).toBe(1);
  expect(nextVote(1, 1)).toBe(0);
  expect(nextVote(1, -1)).toBe(-1);
  expect(nextVote(-1, -1)).toBe(0);
});

it("normalizes and validates input", () => {
  expect(normalizeLabel("  red \n circle ")).toBe("red circle");
  expect(() => normalizeLabel("   ")).toThrow(
    expect.objectContaining({ code: "BAD_USER_INPUT", details: { field: "label" } }),
  );
  expect(() => normalizeLabel("x".repeat(201))).toThrow(expect.objectContaining({ code: "BAD_USER_INPUT" }));
  expect(normalizeTags([" a ", "b", "a"])).toEqual(["a", "b"]);
  expect(() => normalizeTags(Array.from({ length: 21 }, (_, i) => `t${i}`))).toThrow(
    expect.objectContaining({ details: { field: "tags" } }),
  );
  expect(normalizeConfidence(0.5)).toBe(0.5);
  for (const bad of [-0.1, 1.1, Number.NaN])
    expect(() => normalizeConfidence(bad)).toThrow(expect.objectContaining({ details: { field: "confidence" } }));
});
