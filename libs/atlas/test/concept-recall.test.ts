import { conceptRecall, labelAccuracy, type UnitVerdict } from "../src";

const verdict = (layer: string, groundTruth: string[], methods: UnitVerdict["methods"]): UnitVerdict => ({
  layer,
  groundTruth,
  methods,
});

describe("conceptRecall", () => {
  // layer A: units selective for {red}, {red, circle}, {small}, none; layer B: {red}, {blue}
  // method m: A → red (right), circle (right: the second unit is also red), wrong, -; B → red (right), red (wrong)
  // method n: A → -, red (right), small (right), square (not judged: no ground truth); B → blue on the red unit, blue (right)
  const verdicts = [
    verdict("A", ["red"], { m: { label: "red", correct: true }, n: { label: null, correct: null } }),
    verdict("A", ["red", "circle"], { m: { label: "circle", correct: true }, n: { label: "red", correct: true } }),
    verdict("A", ["small"], { m: { label: "large", correct: false }, n: { label: "small", correct: true } }),
    verdict("A", [], { m: { label: null, correct: null }, n: { label: "square", correct: null } }),
    verdict("B", ["red"], { m: { label: "red", correct: true }, n: { label: "blue", correct: false } }),
    verdict("B", ["blue"], { m: { label: "red", correct: false }, n: { label: "blue", correct: true } }),
  ];

  it("counts the layer's ground-truth concepts a method names correctly for at least one unit", () => {
    const rows = conceptRecall(verdicts);
    const row = (method: string, layer: string) => rows.find((r) => r.method === method && r.layer === layer)!;
    // A: concepts {red, circle, small}; m finds red, circle (2/3); n finds red, small (2/3)
    expect(row("m", "A")).toEqual({ method: "m", layer: "A", concepts: 3, found: 2, recall: 2 / 3, missed: ["small"] });
    expect(row("n", "A")).toEqual({
      method: "n",
      layer: "A",
      concepts: 3,
      found: 2,
      recall: 2 / 3,
      missed: ["circle"],
    });
    // B: concepts {red, blue}; m finds red (1/2); n finds blue (1/2; its "blue" on the red unit does not count)
    expect(row("m", "B")).toMatchObject({ concepts: 2, found: 1, recall: 0.5, missed: ["blue"] });
    expect(row("n", "B")).toMatchObject({ concepts: 2, found: 1, recall: 0.5, missed: ["red"] });
    // all layers: concepts {red, circle, small, blue}; m: red, circle → 2/4; n: red, small, blue → 3/4
    expect(row("m", "*")).toMatchObject({ concepts: 4, found: 2, recall: 0.5, missed: ["blue", "small"] });
    expect(row("n", "*")).toMatchObject({ concepts: 4, found: 3, recall: 0.75, missed: ["circle"] });
    expect(rows.map((r) => `${r.method}/${r.layer}`)).toEqual(["m/A", "m/B", "m/*", "n/A", "n/B", "n/*"]);
  });

  it("gives null recall for a layer without ground truth, and works on labelAccuracy's verdicts", () => {
    const { verdicts: vs } = labelAccuracy(
      [
        { layer: "L", topExampleTags: [["color:red"], ["color:red"]], labels: { m: { concept: "Red", score: 1 } } },
        { layer: "L", topExampleTags: [["color:blue"], ["color:blue"]], labels: { m: { concept: "red", score: 1 } } },
        { layer: "E", topExampleTags: [["color:red"], ["color:blue"]], labels: { m: { concept: "red", score: 1 } } },
      ],
      { threshold: 1 },
    );
    const rows = conceptRecall(vs);
    expect(rows.find((r) => r.layer === "L")).toMatchObject({ concepts: 2, found: 1, recall: 0.5, missed: ["blue"] });
    expect(rows.find((r) => r.layer === "E")).toMatchObject({ concepts: 0, found: 0, recall: null, missed: [] });
    expect(conceptRecall([])).toEqual([]);
  });
});
