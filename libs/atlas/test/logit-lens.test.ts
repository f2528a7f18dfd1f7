// Logit lens read-out (LN → proj → L2 norm → cosine top-k) against hand-computed values on tiny d, e.
import { AtlasError, lensReadout, lensTopK, logitLens, type LensReadout } from "../src";

// d = 2, e = 2. LN of (x, y) with eps 0: mean m = (x+y)/2, var = ((x−y)/2)², so LN = (±1, ∓1) when x ≠ y.
const identity: LensReadout = { gain: [1, 1], bias: [0, 0], eps: 0, proj: [1, 0, 0, 1], dModel: 2, dOut: 2 };

describe("lensReadout", () => {
  it("layer-norms, projects and normalises each position", () => {
    // (3, 1) → LN (1, −1) → proj identity → /√2; (0, 4) → LN (−1, 1) → /√2
    const out = lensReadout([3, 1, 0, 4], 2, identity);
    expect(Array.from(out)).toEqual([
      expect.closeTo(Math.SQRT1_2, 6),
      expect.closeTo(-Math.SQRT1_2, 6),
      expect.closeTo(-Math.SQRT1_2, 6),
      expect.closeTo(Math.SQRT1_2, 6),
    ]);
  });

  it("applies gain, bias and proj (row-major d × e)", () => {
    // (3, 1) → LN (1, −1) → gain (2, 1) → (2, −1) → + bias (1, 0) → (3, −1)
    // proj [[1, 1], [0, 2]] → (3·1 + −1·0, 3·1 + −1·2) = (3, 1) → /√10
    const r: LensReadout = { gain: [2, 1], bias: [1, 0], eps: 0, proj: [1, 1, 0, 2], dModel: 2, dOut: 2 };
    const out = lensReadout([3, 1], 1, r);
    expect(out[0]).toBeCloseTo(3 / Math.sqrt(10), 6);
    expect(out[1]).toBeCloseTo(1 / Math.sqrt(10), 6);
  });

  it("uses eps inside the square root (so the scale before normalising changes, the direction with bias too)", () => {
    // (3, 1): var = 1; eps = 3 → LN = (1, −1)/2; + bias (1, 0) → (1.5, −0.5) → /√2.5
    const r = { ...identity, bias: [1, 0], eps: 3 };
    const out = lensReadout([3, 1], 1, r);
    expect(out[0]).toBeCloseTo(1.5 / Math.sqrt(2.5), 6);
    expect(out[1]).toBeCloseTo(-0.5 / Math.sqrt(2.5), 6);
  });

  it("leaves an all-zero read-out at zero and refuses bad shapes", () => {
    expect(Array.from(lensReadout([2, 2], 1, identity))).toEqual([0, 0]); // LN of a constant row is 0
    expect(() => lensReadout([1, 2, 3], 2, identity)).toThrow(AtlasError);
    expect(() => lensReadout([1, 2], 1, { ...identity, proj: [1, 0, 0] })).toThrow(/proj/);
    expect(() => lensReadout([1, NaN], 1, identity)).toThrow(/NON_FINITE/);
    expect(() => lensReadout([1, 2], 1, { ...identity, eps: -1 })).toThrow(/eps/);
  });
});

describe("lensTopK / logitLens", () => {
  // texts: t0 = (1, 0), t1 = (0, 1), t2 = (−1, 0), t3 = (1, 1)/√2
  const texts = [1, 0, 0, 1, -1, 0, Math.SQRT1_2, Math.SQRT1_2];

  it("ranks texts by cosine, best first, ties to the lower index", () => {
    const cells = lensTopK([1, 0, 0, -1], texts, 2, 3);
    // (1,0): t0 = 1, t3 = .707, t1 = 0 (t2 = −1 falls out)
    expect(cells[0].indices).toEqual([0, 3, 1]);
    expect(cells[0].scores[1]).toBeCloseTo(Math.SQRT1_2, 6);
    // (0,−1): t0 = 0, t2 = 0 (tie → t0 first), t3 = −.707
    expect(cells[1].indices).toEqual([0, 2, 3]);
    expect(cells[1].scores[2]).toBeCloseTo(-Math.SQRT1_2, 6);
  });

  it("caps k at the number of texts and refuses an empty vocabulary", () => {
    expect(lensTopK([1, 0], texts, 2, 10)[0].indices).toHaveLength(4);
    expect(() => lensTopK([1, 0], [], 2, 3)).toThrow(/no concept texts/);
  });

  it("chains read-out and ranking", () => {
    // (3, 1) → (1, −1)/√2: t0 = .707, t1 = −.707, t2 = −.707, t3 = 0 → [t0, t3]
    const [cell] = logitLens([3, 1], 1, identity, texts, 2);
    expect(cell.indices).toEqual([0, 3]);
    expect(cell.scores[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(cell.scores[1]).toBeCloseTo(0, 6);
  });
});
