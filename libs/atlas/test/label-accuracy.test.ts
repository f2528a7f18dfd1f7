import { groundTruthConcepts, labelAccuracy, type LabelEvalUnit } from "../src";

const tags = (...rows: string[][]) => rows;

describe("groundTruthConcepts", () => {
  it("keeps concepts shared by ≥ threshold of the top examples, highest share first", () => {
    const gt = groundTruthConcepts(
      tags(
        ["color:red", "shape:circle"],
        ["color:red", "shape:square"],
        ["color:red", "shape:circle"],
        ["color:blue", "shape:circle"],
      ),
      0.75,
    );
    expect(gt.shares).toEqual({ red: 0.75, circle: 0.75, square: 0.25, blue: 0.25 });
    expect(gt.concepts).toEqual(["circle", "red"]);
    expect(groundTruthConcepts(tags(["color:red"], ["color:blue"]), 0.8).concepts).toEqual([]);
  });

  it("counts every concept a tag stands for once per example when conceptOfTag returns several", () => {
    const both = (t: string) =>
      t.startsWith("word:") ? [t.slice(5), `the word ${t.slice(5)}`] : t.slice(t.indexOf(":") + 1);
    const gt = groundTruthConcepts(
      tags(["word:red", "color:red"], ["word:red"], ["color:red"], ["word:blue"]),
      0.5,
      both,
    );
    expect(gt.shares).toEqual({ red: 0.75, "the word red": 0.5, blue: 0.25, "the word blue": 0.25 });
    expect(gt.concepts).toEqual(["red", "the word red"]);
  });
});

describe("labelAccuracy", () => {
  const red4of5 = tags(
    ["color:red", "shape:circle"],
    ["color:red", "shape:square"],
    ["color:red"],
    ["color:red"],
    ["color:blue"],
  );
  const greenCircles = tags(...Array.from({ length: 5 }, () => ["color:green", "shape:circle"]));
  const mixed = tags(["color:red"], ["color:red"], ["color:green"], ["color:green"], ["color:green"]);
  const blues = tags(...Array.from({ length: 5 }, () => ["color:blue"]));
  const units: LabelEvalUnit[] = [
    {
      layer: "L0",
      topExampleTags: red4of5,
      labels: { dissect: { concept: "red", score: 1 }, align: { concept: "blue", score: 0.5 } },
    },
    {
      layer: "L0",
      topExampleTags: greenCircles,
      labels: { dissect: { concept: "circle", score: 0.2 }, align: { concept: "green", score: 0.9 } },
    },
    {
      layer: "L1",
      topExampleTags: mixed,
      labels: { dissect: { concept: "red", score: 1 }, align: { concept: "green", score: 1 } },
    },
    { layer: "L1", topExampleTags: blues, labels: { dissect: null, align: { concept: " Blue", score: 0.1 } } },
  ];

  it("reports precision, coverage and recall per method and layer (hand-counted)", () => {
    const { rows, verdicts } = labelAccuracy(units, { threshold: 0.8, minScore: { align: 0.2 } });
    const row = (m: string, l: string) => rows.find((r) => r.method === m && r.layer === l)!;
    expect(row("dissect", "L0")).toEqual({
      method: "dissect",
      layer: "L0",
      units: 2,
      monosemantic: 2,
      labeled: 2,
      correct: 2,
      precision: 1,
      coverage: 1,
      recall: 1,
      groundTruthShare: 1,
    });
    expect(row("align", "L0")).toMatchObject({ labeled: 2, correct: 1, precision: 0.5 });
    expect(row("dissect", "L1")).toEqual({
      method: "dissect",
      layer: "L1",
      units: 2,
      monosemantic: 1,
      labeled: 0,
      correct: 0,
      precision: null,
      coverage: 0,
      recall: 0,
      groundTruthShare: 0.5,
    });
    expect(row("align", "L1")).toMatchObject({ monosemantic: 1, labeled: 0, correct: 0 });
    expect(row("dissect", "*")).toMatchObject({
      units: 4,
      monosemantic: 3,
      labeled: 2,
      correct: 2,
      precision: 1,
      groundTruthShare: 0.75,
    });
    expect(row("dissect", "*").coverage).toBeCloseTo(2 / 3, 12);
    expect(row("align", "*").recall).toBeCloseTo(1 / 3, 12);
    expect(rows).toHaveLength(6);
    expect(verdicts[0]).toEqual({
      layer: "L0",
      groundTruth: ["red"],
      methods: { align: { label: "blue", correct: false }, dissect: { label: "red", correct: true } },
    });
    expect(verdicts[2].methods.dissect).toEqual({ label: "red", correct: null });
  });

  it("normalizes labels and counts them when no minimum score applies", () => {
    const { rows } = labelAccuracy(units, { threshold: 0.8 });
    expect(rows.find((r) => r.method === "align" && r.layer === "L1")).toMatchObject({
      labeled: 1,
      correct: 1,
      precision: 1,
    });
  });

  it("rejects a bad threshold", () => {
    expect(() => labelAccuracy(units, { threshold: 0 })).toThrow(/BAD_OPTION/);
  });
});
