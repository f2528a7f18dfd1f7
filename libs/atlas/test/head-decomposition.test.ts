// Hand-computed checks of the TextSpan head decomposition math (heads/direct-contributions, textspan, head-share).
import {
  headOutputsAt,
  layerNormRow,
  layerNormScale,
  readoutBias,
  readoutTerm,
  type HeadLayerWeights,
} from "../src/heads/direct-contributions";
import { textSpan } from "../src/heads/textspan";
import { directShares, meanAblate, zeroShotAccuracy } from "../src/heads/head-share";
import { isAtlasError } from "../src/errors";

const f = (xs: number[]) => Float32Array.from(xs);

describe("direct contributions", () => {
  it("layer-normalises a row with biased variance", () => {
    expect([...layerNormRow([1, 3], [1, 1], [0, 0], 0)]).toEqual([-1, 1]);
    expect([...layerNormRow([1, 3], [2, 1], [1, 0], 0)]).toEqual([-1, 1]);
    expect(layerNormScale([1, 3], 0)).toBe(1);
    expect(layerNormScale([0, 0], 0.25)).toBe(0.5);
  });

  it("sums a head's attention-weighted values through W_V, b_V and W_O at the query position", () => {
    // x0 = [1,3] → LN [-1,1]; x1 = [2,0] → LN [1,-1]
    // head 0 attends [0.75, 0.25] from CLS: y = [-0.5, 0.5]; z = y·[2,1] + 1 = 0.5; c = 0.5·[2,-4] = [1,-2]
    // head 1 attends [0, 1]: y = [1,-1]; z = y·[1,0] + 0 = 1; c = [1,1]
    const w: HeadLayerWeights = {
      heads: 2,
      dModel: 2,
      dHead: 1,
      ln1W: f([1, 1]),
      ln1B: f([0, 0]),
      wV: f([2, 1, 1, 0]),
      bV: f([1, 0]),
      wO: f([2, -4, 1, 1]),
    };
    const pattern = f([0.75, 0.25, 0.5, 0.5, 0, 1, 1, 0]);
    const out = headOutputsAt(f([1, 3, 2, 0]), pattern, 2, 0, w, 0);
    expect([...out]).toEqual([1, -2, 1, 1]);
    // from the second position head 1 reads x0 only: y = [-1,1], z = -1, c = [-1,-1]
    expect([...headOutputsAt(f([1, 3, 2, 0]), pattern, 2, 1, w, 0)].slice(2)).toEqual([-1, -1]);
  });

  it("refuses mismatched shapes with a typed error", () => {
    const w: HeadLayerWeights = {
      heads: 1,
      dModel: 2,
      dHead: 1,
      ln1W: f([1, 1]),
      ln1B: f([0, 0]),
      wV: f([1, 1]),
      bV: f([0]),
      wO: f([1, 1]),
    };
    let err: unknown;
    try {
      headOutputsAt(f([1, 2, 3]), f([1, 0, 0, 1]), 2, 0, w, 0);
    } catch (e) {
      err = e;
    }
    expect(isAtlasError(err, "SHAPE_MISMATCH")).toBe(true);
  });

  it("reads a term out through the centred, gained, σ-scaled projection", () => {
    // term [1,-2]: centred [1.5,-1.5]; ⊙ g [2,1] → [3,-1.5]; / σ 1.5 → [2,-1]
    const r = { dModel: 2, embedDim: 2, gain: f([2, 1]), proj: f([1, 0, 0, 1]) };
    expect([...readoutTerm([1, -2], 1.5, r)]).toEqual([2, -1]);
    expect([...readoutTerm([1, -2], 1.5, { ...r, embedDim: 1, proj: f([1, 1]) })]).toEqual([1]);
    // a constant term has no direct effect
    expect([...readoutTerm([5, 5], 1, r)]).toEqual([0, 0]);
    expect([...readoutBias([1, 2], { ...r, proj: f([1, 1, 0, 3]) })]).toEqual([1, 7]);
  });

  it("is linear: the read-outs of the parts sum to the LayerNorm → proj of the whole (bias aside)", () => {
    const parts = [f([1, 0, 2]), f([0.5, -1, 0]), f([-2, 1, 1])];
    const whole = [0, 1, 2].map((i) => parts.reduce((s, p) => s + p[i], 0));
    const g = f([1, 2, 0.5]);
    const b = f([0.1, -0.2, 0.3]);
    const proj = f([1, 0, 0, 1, 1, -1]);
    const r = { dModel: 3, embedDim: 2, gain: g, proj };
    const sigma = layerNormScale(whole, 1e-5);
    const sum = parts
      .map((p) => readoutTerm(p, sigma, r))
      .reduce((a, x) => a.map((v, i) => v + x[i]), readoutBias(b, r));
    const ln = layerNormRow(whole, g, b, 1e-5);
    const direct = [0, 1].map((o) => ln.reduce((s, v, i) => s + v * proj[i * 2 + o], 0));
    sum.forEach((v, i) => expect(v).toBeCloseTo(direct[i], 10));
  });
});

describe("textSpan", () => {
  // outputs spread 2 along x and 1 along y: total variance 4+4+1+1 = 10
  const outputs = [2, 0, -2, 0, 0, 1, 0, -1];
  // unit texts: x, d = (0.6, 0.8), y
  const texts = [1, 0, 0.6, 0.8, 0, 1];

  it("picks the text carrying most variance, projects it out of data and texts, repeats", () => {
    // step 1 scores: x 8, d 2·1.2² + 2·0.8² = 4.16, y 2 → x (8/10); then d − (d·x)x = (0, 0.8) scores 2·0.64 = 1.28
    // (not renormalised) and y scores 2 → y, removing 2/10
    expect(textSpan(outputs, 4, texts, 3, 2, 2)).toEqual([
      { index: 0, explainedVariance: 0.8 },
      { index: 2, explainedVariance: 0.2 },
    ]);
    // d has nothing left after x and y are removed: the basis stops
    expect(textSpan(outputs, 4, texts, 3, 2, 5)).toHaveLength(2);
  });

  it("centres the outputs first and returns nothing for a constant head", () => {
    const shifted = outputs.map((v, i) => v + (i % 2 ? 7 : -3));
    expect(textSpan(shifted, 4, texts, 3, 2, 1)).toEqual([{ index: 0, explainedVariance: 0.8 }]);
    expect(textSpan([1, 1, 1, 1], 2, texts, 3, 2, 3)).toEqual([]);
  });

  it("refuses mismatched shapes", () => {
    expect(() => textSpan([1, 2, 3], 2, texts, 3, 2, 1)).toThrow(/SHAPE_MISMATCH/);
  });
});

describe("head share and mean ablation", () => {
  it("averages each image's share of the summed squared norms, skipping empty images", () => {
    // rows [1,3] → [0.25,0.75], [2,2] → [0.5,0.5], [0,0] skipped
    expect([...directShares([1, 3, 2, 2, 0, 0], 3, 2)]).toEqual([0.375, 0.625]);
  });

  it("replaces a term by its mean over images", () => {
    // mean term [2,0]: [1,1]−[1,0]+[2,0] = [2,1]; [3,1]−[3,0]+[2,0] = [2,1]
    expect([...meanAblate([1, 1, 3, 1], [1, 0, 3, 0], 2, 2)]).toEqual([2, 1, 2, 1]);
  });

  it("scores zero-shot accuracy by cosine argmax over images with a true class", () => {
    // image [0,1] is closer to class 1 but labelled 0; the third image has no label
    expect(zeroShotAccuracy([1, 0, 0, 1, 1, 1], 3, [2, 0, 0, 1], 2, 2, [0, 0, -1])).toEqual({
      accuracy: 0.5,
      examples: 2,
    });
    expect(zeroShotAccuracy([1, 0], 1, [2, 0, 0, 1], 2, 2, [-1])).toBeNull();
  });
});
