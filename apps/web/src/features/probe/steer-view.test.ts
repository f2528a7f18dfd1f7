// Steering panel helpers against hand-computed values.
import { classesToShow, isSteerable, parseClassPrompts, signed, strengthRange } from "./steer-view";

test("only image-tower neurons and SAE features are steerable", () => {
  expect(isSteerable("NEURON", "VISION")).toBe(true);
  expect(isSteerable("SAE_FEATURE", "VISION")).toBe(true);
  expect(isSteerable("ATTENTION_HEAD", "VISION")).toBe(false);
  expect(isSteerable("NEURON", "TEXT")).toBe(false);
});

test("strength range is ±4 × max activation rounded up to 1/2/5 × 10ⁿ", () => {
  expect(strengthRange(1.3)).toEqual({ min: -10, max: 10, step: 0.25, initial: 5 }); // 5.2 → 10
  expect(strengthRange(0.5)).toEqual({ min: -2, max: 2, step: 0.05, initial: 1 }); // 2 → 2
  expect(strengthRange(null)).toEqual({ min: -5, max: 5, step: 0.125, initial: 2.5 }); // 4 → 5
  expect(strengthRange(-1).max).toBe(5);
  expect(strengthRange(30).max).toBe(200); // 120 → 200
});

test("classesToShow keeps the n most probable before or after", () => {
  const cs = [
    { label: "a", before: 0.1, after: 0.6, delta: 0.5 },
    { label: "b", before: 0.7, after: 0.2, delta: -0.5 },
    { label: "c", before: 0.1, after: 0.1, delta: 0 },
    { label: "d", before: 0.1, after: 0.1, delta: 0 },
  ];
  expect(classesToShow(cs, 3).map((c) => c.label)).toEqual(["b", "a", "c"]);
});

test("signed shows a sign, a real minus, and ± for zero", () => {
  expect(signed(0.1234)).toBe("+0.123");
  expect(signed(-0.0456)).toBe("−0.046");
  expect(signed(0.0001)).toBe("±0.000");
});

test("parseClassPrompts splits on commas and lines, trims, drops empties and repeats", () => {
  expect(parseClassPrompts(" a red circle, a blue square\n\na red circle ,")).toEqual([
    "a red circle",
    "a blue square",
  ]);
  expect(parseClassPrompts("  \n , ")).toBeNull();
});
