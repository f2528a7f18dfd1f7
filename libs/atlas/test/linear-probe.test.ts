// Linear probes: softmax-regression loss/gradient by hand, L-BFGS, seeded split, standardization, and probe
// accuracy on separable vs random-label fixtures, and the layer × family grid.
import {
  featureScaling,
  probeGrid,
  splitTrainTest,
  trainLinearProbe,
  type ProbeGridCell,
} from "../src/probing/linear-probe";
import { minimizeLbfgs, predictClasses, softmaxLossAndGradient } from "../src/probing/softmax-regression";
import { SeededRng } from "../src/util/rng";

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** n examples of `classes` Gaussian blobs in `width` dims: class c centred at `spread`·e_c. */
function blobs(n: number, width: number, classes: number, spread: number, seed: number) {
  const rng = new SeededRng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const labels = Int32Array.from({ length: n }, (_, i) => i % classes);
  const features = new Float32Array(n * width);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < width; j++) features[i * width + j] = gauss() + (j === labels[i] ? spread : 0);
  return { features, labels };
}

describe("softmaxLossAndGradient", () => {
  // X = [[1, 0], [0, 1]], y = (0, 1), W = [[1, 0], [0, 0]], b = 0, λ = 0.5.
  // Example 0: z = (1, 0), p = (σ(1), 1 − σ(1)), loss ln(1 + e^−1). Example 1: z = (0, 0), p = (½, ½), loss ln 2.
  // L = (ln(1 + e^−1) + ln 2)/2 + (0.5/2)·1.
  // ∂W_0 = ½[(σ(1) − 1)·x0 + ½·x1] + λ(1, 0) = ((σ(1) − 1)/2 + 0.5, ¼); ∂W_1 = ½[(1 − σ(1))·x0 − ½·x1] = ((1 − σ(1))/2, −¼)
  // ∂b = ½(σ(1) − 1 + ½, 1 − σ(1) − ½)
  it("matches the hand computation on a 2 × 2 case", () => {
    const problem = {
      features: new Float64Array([1, 0, 0, 1]),
      n: 2,
      width: 2,
      labels: new Int32Array([0, 1]),
      classes: 2,
      l2: 0.5,
    };
    const theta = new Float64Array([1, 0, 0, 0, 0, 0]);
    const grad = new Float64Array(6);
    const loss = softmaxLossAndGradient(problem, theta, grad);
    const s = sigmoid(1);
    expect(loss).toBeCloseTo((Math.log(1 + Math.exp(-1)) + Math.log(2)) / 2 + 0.25, 14);
    const expected = [(s - 1) / 2 + 0.5, 0.25, (1 - s) / 2, -0.25, (s - 0.5) / 2, (0.5 - s) / 2];
    expected.forEach((v, i) => expect(grad[i]).toBeCloseTo(v, 14));
    // at θ = 0 every class has p = ½: L = ln 2
    expect(softmaxLossAndGradient(problem, new Float64Array(6), grad)).toBeCloseTo(Math.log(2), 14);
    expect(Array.from(grad)).toEqual([-0.25, 0.25, 0.25, -0.25, 0, 0]);
  });

  it("agrees with central finite differences on a random 3-class problem (blocks of 4 rows plus a tail)", () => {
    const rng = new SeededRng(2);
    const [n, width, classes] = [7, 5, 3];
    const problem = {
      features: Float64Array.from({ length: n * width }, () => rng.next() * 2 - 1),
      n,
      width,
      labels: Int32Array.from({ length: n }, () => rng.nextInt(classes)),
      classes,
      l2: 0.3,
    };
    const theta = Float64Array.from({ length: classes * (width + 1) }, () => rng.next() - 0.5);
    const grad = new Float64Array(theta.length),
      scratch = new Float64Array(theta.length);
    softmaxLossAndGradient(problem, theta, grad);
    const h = 1e-6;
    for (let q = 0; q < theta.length; q++) {
      const plus = Float64Array.from(theta),
        minus = Float64Array.from(theta);
      plus[q] += h;
      minus[q] -= h;
      const numeric =
        (softmaxLossAndGradient(problem, plus, scratch) - softmaxLossAndGradient(problem, minus, scratch)) / (2 * h);
      expect(grad[q]).toBeCloseTo(numeric, 8);
    }
  });

  it("predicts the argmax class with ties to the lower class", () => {
    // W = [[1, 0], [0, 1]], b = (0, 0): rows (2, 1) → 0, (0, 3) → 1, (1, 1) → tie → 0
    expect(
      Array.from(predictClasses(new Float64Array([1, 0, 0, 1, 0, 0]), new Float32Array([2, 1, 0, 3, 1, 1]), 3, 2, 2)),
    ).toEqual([0, 1, 0]);
  });
});

describe("minimizeLbfgs", () => {
  it("finds the minimum of an ill-conditioned quadratic", () => {
    const a = [3, -2, 0.5, 10];
    const c = [1, 100, 0.01, 7];
    const f = (x: Float64Array, g: Float64Array) => {
      let v = 0;
      for (let i = 0; i < 4; i++) {
        v += c[i] * (x[i] - a[i]) ** 2;
        g[i] = 2 * c[i] * (x[i] - a[i]);
      }
      return v;
    };
    const r = minimizeLbfgs(f, new Float64Array(4), {
      maxIterations: 200,
      gradientTolerance: 1e-10,
      relativeTolerance: 0,
    });
    expect(r.converged).toBe(true);
    a.forEach((v, i) => expect(r.x[i]).toBeCloseTo(v, 6));
    expect(r.value).toBeLessThan(1e-12);
  });
});

describe("splitTrainTest and featureScaling", () => {
  it("splits deterministically per seed into disjoint sets covering every index", () => {
    const idx = Array.from({ length: 10 }, (_, i) => i * 3);
    const a = splitTrainTest(idx, 0.25, 4),
      b = splitTrainTest(idx, 0.25, 4),
      c = splitTrainTest(idx, 0.25, 5);
    expect(a).toEqual(b);
    expect(a.test).toHaveLength(3); // ⌈0.25 · 10⌉
    expect([...a.train, ...a.test].sort((x, y) => x - y)).toEqual(idx);
    expect(c.test).not.toEqual(a.test);
    expect(splitTrainTest([7, 8], 0.01, 0).test).toHaveLength(1);
    expect(() => splitTrainTest([1], 0.5, 0)).toThrow(/BAD_INPUT/);
    expect(() => splitTrainTest([1, 2], 1, 0)).toThrow(/BAD_OPTION/);
  });

  it("uses the population mean and standard deviation of the chosen rows; a constant feature gets scale 0", () => {
    // rows 0 and 2 of [[1, 5], [100, 5], [3, 5]]: mean (2, 5), sd (1, 0)
    const { mean, scale } = featureScaling([1, 5, 100, 5, 3, 5], 2, [0, 2]);
    expect(Array.from(mean)).toEqual([2, 5]);
    expect(Array.from(scale)).toEqual([1, 0]);
  });
});

describe("trainLinearProbe", () => {
  it("reaches 100 % held-out accuracy on linearly separable blobs", () => {
    const { features, labels } = blobs(240, 8, 3, 12, 1);
    const r = trainLinearProbe(features, 8, labels, { seed: 3 });
    expect(r.accuracy).toBe(1);
    expect(r.trainAccuracy).toBe(1);
    expect(r.classes).toBe(3);
    expect([r.trainSize, r.testSize]).toEqual([180, 60]);
    expect(r.chance).toBeLessThan(0.5);
    expect(r.converged).toBe(true);
  });

  it("stays near chance on random labels, with chance = the test split's majority-class rate", () => {
    const rng = new SeededRng(9);
    const [n, width] = [1600, 20];
    const features = Float32Array.from({ length: n * width }, () => rng.next());
    const labels = Int32Array.from({ length: n }, () => rng.nextInt(3));
    const r = trainLinearProbe(features, width, labels, { seed: 1 });
    const { test } = splitTrainTest(
      Array.from({ length: n }, (_, i) => i),
      0.25,
      1,
    );
    const counts = [0, 0, 0];
    for (const e of test) counts[labels[e]]++;
    expect(r.chance).toBe(Math.max(...counts) / test.length);
    expect(Math.abs(r.accuracy - 1 / 3)).toBeLessThan(0.06); // 400 test examples: σ ≈ 0.024
    expect(r.trainAccuracy).toBeGreaterThan(r.accuracy);
  });

  it("leaves out examples labelled −1 and is deterministic for a seed", () => {
    const { features, labels } = blobs(100, 4, 2, 6, 2);
    const partial = Int32Array.from(labels, (y, i) => (i % 5 === 0 ? -1 : y));
    const a = trainLinearProbe(features, 4, partial, { seed: 8 });
    expect(a.trainSize + a.testSize).toBe(80);
    expect(trainLinearProbe(features, 4, partial, { seed: 8 })).toEqual(a);
  });

  it("refuses one class, bad labels and mismatched features", () => {
    expect(() => trainLinearProbe(new Float32Array(4), 2, [0, 0])).toThrow(/two classes/);
    expect(() => trainLinearProbe(new Float32Array(4), 2, [0, 1.5])).toThrow(/BAD_INPUT/);
    expect(() => trainLinearProbe(new Float32Array(5), 2, [0, 1])).toThrow(/SHAPE_MISMATCH/);
    expect(() => trainLinearProbe(new Float32Array([0, NaN, 1, 1]), 2, [0, 1])).toThrow(/NON_FINITE/);
    expect(() => trainLinearProbe(new Float32Array(4), 2, [0, 1], { l2: -1 })).toThrow(/BAD_OPTION/);
  });
});

describe("probeGrid", () => {
  it("probes every layer × family in layer-major order with progress, separating an informative layer from noise", () => {
    const n = 200;
    const informative = blobs(n, 6, 2, 10, 4);
    const rng = new SeededRng(6);
    const noise = Float32Array.from({ length: n * 6 }, () => rng.next());
    const randomLabels = Int32Array.from({ length: n }, () => rng.nextInt(2));
    const progress: number[] = [];
    const cells = probeGrid(
      [
        { name: "block0", features: noise, width: 6 },
        { name: "block1", features: informative.features, width: 6 },
      ],
      [
        { name: "blob", labels: informative.labels },
        { name: "random", labels: randomLabels },
      ],
      { seed: 2 },
      (done, total, cell: ProbeGridCell) => {
        progress.push(done);
        expect(total).toBe(4);
        expect(cell.layer).toBeDefined();
      },
    );
    expect(cells.map((c) => `${c.layer}/${c.family}`)).toEqual([
      "block0/blob",
      "block0/random",
      "block1/blob",
      "block1/random",
    ]);
    expect(progress).toEqual([1, 2, 3, 4]);
    expect(cells[2].accuracy).toBe(1);
    expect(cells[0].accuracy).toBeLessThan(0.75);
    expect(cells[3].accuracy).toBeLessThan(0.75);
    // the same family uses the same held-out examples in every layer
    expect(cells[0].chance).toBe(cells[2].chance);
    expect(() =>
      probeGrid([{ name: "x", features: noise, width: 5 }], [{ name: "blob", labels: informative.labels }]),
    ).toThrow(/SHAPE_MISMATCH/);
  });
});
