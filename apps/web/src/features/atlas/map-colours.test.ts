// Map point colours: label state, the most frequent concepts, and the score ramp's ends and middle.
import { conceptPalette, OTHER_COLOUR, pointColour, rampColour, scoreRange, STATE_COLOURS } from "./map-colours";

const p = (labelState: string, topAutoLabel: string | null, autoLabelScore: number | null) => ({
  labelState,
  topAutoLabel,
  autoLabelScore,
});

test("colours by label state", () => {
  expect(pointColour(p("LABELED", null, null), "state", new Map(), null)).toBe(STATE_COLOURS.LABELED);
  expect(pointColour(p("DISPUTED", null, null), "state", new Map(), null)).toBe("#f08c00");
});

test("gives the most frequent concepts their own colour, the rest grey", () => {
  const pts = [
    p("UNLABELED", "red", 1),
    p("UNLABELED", "red", 1),
    p("UNLABELED", "blue", 1),
    p("UNLABELED", "circle", 1),
    p("UNLABELED", null, 1),
  ];
  const palette = conceptPalette(pts, 2);
  expect([...palette.keys()]).toEqual(["red", "blue"]); // red ×2, then blue before circle (alphabetical tie)
  expect(pointColour(pts[3], "concept", palette, null)).toBe(OTHER_COLOUR);
  expect(pointColour(pts[4], "concept", palette, null)).toBe(OTHER_COLOUR);
  expect(pointColour(pts[0], "concept", palette, null)).toBe(palette.get("red"));
});

test("ramps scores over the set's range", () => {
  expect(rampColour(0)).toBe("#3b5bdb");
  expect(rampColour(1)).toBe("#fab005");
  expect(rampColour(0.5)).toBe("#9b8670"); // (0x3b+0xfa)/2 = 0x9a.8 → 0x9b, (0x5b+0xb0)/2 = 0x85.8 → 0x86, (0xdb+0x05)/2 = 0x70
  const pts = [p("UNLABELED", null, 0.2), p("UNLABELED", null, 0.6), p("UNLABELED", null, null)];
  const range = scoreRange(pts)!;
  expect(range).toEqual([0.2, 0.6]);
  expect(pointColour(pts[1], "score", new Map(), range)).toBe("#fab005");
  expect(pointColour(pts[2], "score", new Map(), range)).toBe(OTHER_COLOUR);
});

test("the label-score colouring reads the best label's AUROC, grey while unscored", () => {
  const pts = [
    { ...p("UNLABELED", null, 5), bestLabelScore: 0.5 },
    { ...p("UNLABELED", null, 9), bestLabelScore: 0.9 },
    p("UNLABELED", null, 7),
  ];
  const range = scoreRange(pts, "labelScore")!;
  expect(range).toEqual([0.5, 0.9]);
  expect(pointColour(pts[0], "labelScore", new Map(), range)).toBe("#3b5bdb");
  expect(pointColour(pts[1], "labelScore", new Map(), range)).toBe("#fab005");
  expect(pointColour(pts[2], "labelScore", new Map(), range)).toBe(OTHER_COLOUR);
});
