// eval:methods' table assembly on a four-unit fixture (hand-computed; the shapes-world tag mapping of the script).
import type { LabelEvalUnit } from "@mmatlas/atlas";
import { shapesConceptVocabulary } from "../src/finalize/concepts";
import { conceptsOfShapesTag } from "../src/evaluation/label-eval";
import { commonLabelErrors, formatMethodTable, methodTable } from "../src/evaluation/method-table";

const l = (concept: string) => ({ concept, score: 1 });
const vocabulary = new Set(shapesConceptVocabulary().labels);

// layer V: u1 red+circle, u2 blue, u3 nothing (red / blue half each); layer T: u4 the word red (→ red, "the word red")
const units: LabelEvalUnit[] = [
  {
    layer: "V",
    topExampleTags: [
      ["color:red", "shape:circle"],
      ["color:red", "shape:circle"],
    ],
    labels: { "concept-share": l("red"), "clip-dissect": l("circle"), "best-score": l("Red"), trusted: null },
  },
  {
    layer: "V",
    topExampleTags: [
      ["color:blue", "shape:square"],
      ["color:blue", "shape:circle"],
    ],
    labels: { "concept-share": l("blue"), "clip-dissect": l("square"), "best-score": l("square"), trusted: l("blue") },
  },
  {
    layer: "V",
    topExampleTags: [["color:red"], ["color:blue"]],
    labels: { "concept-share": l("red"), trusted: l("red") },
  },
  {
    layer: "T",
    topExampleTags: [["word:red"], ["word:red"]],
    labels: {
      "concept-share": l("the word red"),
      "clip-dissect": l("blue"),
      "best-score": l("red"),
      trusted: l("red"),
    },
  },
];

describe("methodTable", () => {
  const rows = methodTable(units, {
    threshold: 0.8,
    conceptOfTag: (tag) => conceptsOfShapesTag(tag, vocabulary),
    order: ["concept-share", "clip-dissect", "network-dissection", "best-score", "trusted"],
  });
  const row = (method: string, layer: string) => rows.find((r) => r.method === method && r.layer === layer)!;
  const pick = (method: string, layer: string) => {
    const r = row(method, layer);
    return [r.units, r.monosemantic, r.labeled, r.correct, r.precision, r.coverage, r.concepts, r.found, r.recall];
  };

  it("lists method × layer rows in the given method order, each method's layers then all layers", () => {
    expect(rows.map((r) => `${r.method}/${r.layer}`)).toEqual(
      ["concept-share", "clip-dissect", "best-score", "trusted"].flatMap((m) => [`${m}/V`, `${m}/T`, `${m}/*`]),
    );
  });

  it("gives precision and coverage over monosemantic units and recall over the layer's concepts", () => {
    // [units, mono, labeled, correct, precision, coverage, concepts, found, recall]
    // V concepts {red, circle, blue}; T {red, the word red}; all {red, circle, blue, the word red}
    expect(pick("concept-share", "V")).toEqual([3, 2, 2, 2, 1, 1, 3, 2, 2 / 3]);
    expect(pick("concept-share", "T")).toEqual([1, 1, 1, 1, 1, 1, 2, 1, 0.5]);
    expect(pick("concept-share", "*")).toEqual([4, 3, 3, 3, 1, 1, 4, 3, 0.75]);
    expect(pick("clip-dissect", "V")).toEqual([3, 2, 2, 1, 0.5, 1, 3, 1, 1 / 3]);
    expect(pick("clip-dissect", "T")).toEqual([1, 1, 1, 0, 0, 1, 2, 0, 0]);
    expect(pick("clip-dissect", "*")).toEqual([4, 3, 3, 1, 1 / 3, 1, 4, 1, 0.25]);
    // "Red" counts as red; red found in both layers counts once over all layers
    expect(pick("best-score", "V")).toEqual([3, 2, 2, 1, 0.5, 1, 3, 1, 1 / 3]);
    expect(pick("best-score", "*")).toEqual([4, 3, 3, 2, 2 / 3, 1, 4, 1, 0.25]);
    // trusted abstains on u1; its label on the non-monosemantic u3 is not judged
    expect(pick("trusted", "V")).toEqual([3, 2, 1, 1, 1, 0.5, 3, 1, 1 / 3]);
    expect(pick("trusted", "*")).toEqual([4, 3, 2, 2, 1, 2 / 3, 4, 2, 0.5]);
    expect(row("trusted", "*").missed).toEqual(["circle", "the word red"]);
    // labels of every unit, judgeable or not (trusted labels u3, which has no ground truth)
    expect(["concept-share", "clip-dissect", "best-score", "trusted"].map((m) => row(m, "*").labeledAll)).toEqual([
      4, 3, 3, 3,
    ]);
  });

  it("prints one line per row with 'all layers' for the total", () => {
    const text = formatMethodTable(rows).split("\n");
    expect(text).toHaveLength(rows.length + 2);
    expect(text[0]).toMatch(
      /method\s+layer\s+units\s+mono\s+labeled\s+correct\s+precision\s+coverage\s+of all\s+concepts\s+recall/,
    );
    expect(text.find((x) => x.startsWith("trusted") && x.includes("all layers"))).toMatch(
      /100\.0%\s+66\.7%\s+75\.0%\s+4\s+50\.0% \(2\)$/,
    );
  });

  it("counts each method's wrong labels on monosemantic units by (top ground-truth concept, label)", () => {
    const errors = commonLabelErrors(units, {
      threshold: 0.8,
      conceptOfTag: (tag) => conceptsOfShapesTag(tag, vocabulary),
    });
    // u2 (blue) → square by clip-dissect and best-score; u4 (red, the word red) → blue by clip-dissect
    expect(errors).toEqual({
      "best-score": [{ truth: "blue", label: "square", units: 1 }],
      "clip-dissect": [
        { truth: "blue", label: "square", units: 1 },
        { truth: "red", label: "blue", units: 1 },
      ],
    });
  });
});
