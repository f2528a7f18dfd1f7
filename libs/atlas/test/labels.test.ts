import { clipDissectLabels, projectDirections, textAlignmentLabels } from "../src";
import { softWpmiScores } from "../src/labels/clip-dissect";
import { textAlignmentScores } from "../src/labels/text-alignment";
import { topConcepts } from "../src/labels/concept-ranking";

describe("topConcepts", () => {
  it("sorts descending with ties in concept order and cuts to count", () => {
    expect(topConcepts([0.1, 0.5, 0.5, 0.9], ["a", "b", "c", "d"], 3)).toEqual([
      { concept: "d", score: 0.9 },
      { concept: "b", score: 0.5 },
      { concept: "c", score: 0.5 },
    ]);
  });
});

describe("CLIP-Dissect soft-WPMI", () => {
  // a = 1 and sims (ln 3, 0) give softmax (3/4, 1/4); image 2 has (0, 0) → (1/2, 1/2).
  const L3 = Math.log(3);
  const conceptSims = new Float64Array([L3, 0, 0, L3, 0, 0]);
  // activations [probe × units]: unit 0 = (2, 0, 1), unit 1 = (0, 5, 1)
  const activations = new Float64Array([2, 0, 0, 5, 1, 1]);
  const input = { activations, units: 2, conceptSims, concepts: ["red", "blue"] };

  it("matches the hand computation with K = 1, p = 1, λ = 1", () => {
    // log p(c|B_0) = (ln 3/4, ln 1/4), log p(c|B_1) = (ln 1/4, ln 3/4); prior = ln((3/4 + 1/4)/2) = ln 1/2
    const s = softWpmiScores(input, { topK: 1, temperature: 1, lambda: 1, pStart: 1, pEnd: 1, minProb: 0 });
    const expected = [Math.log(1.5), Math.log(0.5), Math.log(0.5), Math.log(1.5)];
    expected.forEach((v, i) => expect(s[i]).toBeCloseTo(v, 12));
  });

  it("matches the hand computation with K = 2, soft membership and λ = 0.5", () => {
    // p_r = 0.9 − (r/2)(0.9 − 0.5) → (0.9, 0.7). Unit 0's top set = images 0, 2; unit 1's = images 1, 2.
    // 1 + 0.9(3/4 − 1) = 0.775, 1 + 0.9(1/4 − 1) = 0.325, 1 + 0.7(1/2 − 1) = 0.65
    // prior(c) = ln((0.775·0.65 + 0.325·0.65)/2) = ln 0.3575 for both concepts
    const s = softWpmiScores(input, { topK: 2, temperature: 1, lambda: 0.5, pStart: 0.9, pEnd: 0.5, minProb: 0 });
    const hi = Math.log(0.775 * 0.65) - 0.5 * Math.log(0.3575);
    const lo = Math.log(0.325 * 0.65) - 0.5 * Math.log(0.3575);
    [hi, lo, lo, hi].forEach((v, i) => expect(s[i]).toBeCloseTo(v, 12));
  });

  it("labels a planted unit that fires exactly on red examples 'red'", () => {
    const concepts = ["red", "green", "blue", "circle", "square", "triangle"];
    const probe = 30;
    const tags = Array.from({ length: probe }, (_, i) => [concepts[i % 3], concepts[3 + (Math.floor(i / 3) % 3)]]);
    // model-like similarities: 0.3 with the example's own concepts, 0.1 otherwise, plus small deterministic jitter
    const sims = new Float64Array(probe * concepts.length);
    tags.forEach((t, i) =>
      concepts.forEach((c, j) => {
        sims[i * concepts.length + j] = (t.includes(c) ? 0.3 : 0.1) + 0.02 * Math.sin(7 * i + 3 * j);
      }),
    );
    // unit 0 fires on red, unit 1 on square, unit 2 on everything a little (noise)
    const units = 3;
    const acts = new Float64Array(probe * units);
    tags.forEach((t, i) => {
      acts[i * units] = t.includes("red") ? 1 : 0;
      acts[i * units + 1] = t.includes("square") ? 2 : 0;
      acts[i * units + 2] = 0.5 + 0.1 * Math.cos(i);
    });
    const labels = clipDissectLabels({ activations: acts, units, conceptSims: sims, concepts }, { topK: 10 });
    expect(labels[0][0].concept).toBe("red");
    expect(labels[1][0].concept).toBe("square");
    expect(labels[0]).toHaveLength(5);
    expect(labels[0][0].score).toBeGreaterThan(labels[0][1].score);
  });

  it("rejects mismatched shapes and bad options", () => {
    expect(() => softWpmiScores({ ...input, conceptSims: new Float64Array(5) })).toThrow(/SHAPE_MISMATCH/);
    expect(() => softWpmiScores(input, { topK: 4 })).toThrow(/BAD_OPTION/);
    expect(() => softWpmiScores({ ...input, concepts: [] })).toThrow(/BAD_INPUT/);
  });
});

describe("text alignment", () => {
  const concepts = ["red", "blue", "circle"];
  // red = (1, 0, 0), blue = (0, 2, 0), circle = (1, 1, 0)
  const conceptEmbeddings = new Float32Array([1, 0, 0, 0, 2, 0, 1, 1, 0]);

  it("computes cosines by hand and ranks them", () => {
    // direction (3, 0, 4): cos with red = 3/5, blue = 0, circle = 3/(5·√2)
    const s = textAlignmentScores({ directions: new Float32Array([3, 0, 4]), units: 1, conceptEmbeddings, concepts });
    expect(s[0]).toBeCloseTo(0.6, 6);
    expect(s[1]).toBeCloseTo(0, 6);
    expect(s[2]).toBeCloseTo(3 / (5 * Math.SQRT2), 6);
  });

  it("labels a direction equal to the 'red' embedding 'red' with score 1; zero direction scores 0", () => {
    const labels = textAlignmentLabels(
      { directions: new Float32Array([1, 0, 0, 0, 0, 0]), units: 2, conceptEmbeddings, concepts },
      2,
    );
    expect(labels[0][0]).toEqual({ concept: "red", score: 1 });
    expect(labels[0][1].concept).toBe("circle");
    expect(labels[0][1].score).toBeCloseTo(Math.SQRT1_2, 6);
    expect(labels[1].map((l) => l.score)).toEqual([0, 0]);
  });

  it("projects directions through a matrix", () => {
    // [1, 2] · [[1, 0, 2], [0, 1, 1]] = [1, 2, 4]
    expect(
      Array.from(projectDirections(new Float32Array([1, 2]), 1, new Float32Array([1, 0, 2, 0, 1, 1]), 2, 3)),
    ).toEqual([1, 2, 4]);
    expect(() => projectDirections(new Float32Array([1, 2]), 1, new Float32Array(5), 2, 3)).toThrow(/SHAPE_MISMATCH/);
  });
});
