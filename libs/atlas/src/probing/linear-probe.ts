// Linear probing: how well a layer's features linearly decode a concept family. For features
// [examples × width] and integer labels (−1 = unlabelled, left out), split the labelled examples with a
// seeded shuffle into train/test, standardize with the train split's mean and standard deviation, fit a
// multinomial logistic regression (L2, L-BFGS; softmax-regression.ts) on train and report held-out accuracy
// next to the chance baseline: the rate of the most frequent class in the test split.
// probeGrid runs it for every layer × concept family.
import { AtlasError } from "../errors";
import { SeededRng } from "../util/rng";
import { assertAllFinite, assertLength, assertPositiveInt } from "../util/validate";
import { minimizeLbfgs, predictClasses, softmaxLossAndGradient, type LbfgsOptions } from "./softmax-regression";

export interface LinearProbeOptions extends LbfgsOptions {
  /** λ of (λ/2)‖W‖² added to the mean cross-entropy (default 1e-3) */
  l2?: number;
  /** share of the labelled examples held out (default 0.25) */
  testFraction?: number;
  /** seed of the train/test shuffle (default 0) */
  seed?: number;
}

export interface LinearProbeResult {
  /** held-out accuracy */
  accuracy: number;
  trainAccuracy: number;
  /** rate of the most frequent class in the test split */
  chance: number;
  classes: number;
  trainSize: number;
  testSize: number;
  /** final regularized training loss */
  loss: number;
  iterations: number;
  converged: boolean;
}

export const DEFAULT_PROBE_L2 = 1e-3;
export const DEFAULT_TEST_FRACTION = 0.25;

/** Seeded split of `indices` into train and test (test = the first ⌈fraction·n⌉ of a Fisher–Yates shuffle, at least one each). */
export function splitTrainTest(
  indices: readonly number[],
  testFraction: number,
  seed: number,
): { train: number[]; test: number[] } {
  if (!(testFraction > 0 && testFraction < 1))
    throw new AtlasError("BAD_OPTION", `testFraction must be in (0, 1), got ${testFraction}`);
  if (indices.length < 2)
    throw new AtlasError("BAD_INPUT", `need at least 2 labelled examples to split, got ${indices.length}`);
  const order = [...indices];
  const rng = new SeededRng(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const nTest = Math.min(Math.max(Math.ceil(testFraction * order.length), 1), order.length - 1);
  return { test: order.slice(0, nTest), train: order.slice(nTest) };
}

/** Per-feature mean and standard deviation over the `rows` of features [examples × width] (std 0 → scale 0). */
export function featureScaling(
  features: ArrayLike<number>,
  width: number,
  rows: readonly number[],
): { mean: Float64Array; scale: Float64Array } {
  const mean = new Float64Array(width),
    m2 = new Float64Array(width);
  for (const r of rows) for (let j = 0; j < width; j++) mean[j] += features[r * width + j];
  for (let j = 0; j < width; j++) mean[j] /= rows.length;
  for (const r of rows)
    for (let j = 0; j < width; j++) {
      const c = features[r * width + j] - mean[j];
      m2[j] += c * c;
    }
  const scale = new Float64Array(width);
  for (let j = 0; j < width; j++) {
    const sd = Math.sqrt(m2[j] / rows.length);
    scale[j] = sd > 1e-12 * (1 + Math.abs(mean[j])) ? 1 / sd : 0;
  }
  return { mean, scale };
}

/** The `rows` of features, standardized: (x − mean) · scale, as a dense [rows × width] matrix. */
export function standardizeRows(
  features: ArrayLike<number>,
  width: number,
  rows: readonly number[],
  mean: Float64Array,
  scale: Float64Array,
): Float32Array {
  const out = new Float32Array(rows.length * width);
  rows.forEach((r, i) => {
    for (let j = 0; j < width; j++) out[i * width + j] = (features[r * width + j] - mean[j]) * scale[j];
  });
  return out;
}

/** Trains and evaluates one linear probe. */
export function trainLinearProbe(
  features: Float32Array | Float64Array,
  width: number,
  labels: ArrayLike<number>,
  options: LinearProbeOptions = {},
): LinearProbeResult {
  const { l2 = DEFAULT_PROBE_L2, testFraction = DEFAULT_TEST_FRACTION, seed = 0, ...lbfgs } = options;
  assertPositiveInt(width, "width");
  if (!(l2 >= 0) || !Number.isFinite(l2))
    throw new AtlasError("BAD_OPTION", `l2 must be a finite number ≥ 0, got ${l2}`);
  const examples = labels.length;
  assertLength(features, examples * width, "features");
  assertAllFinite(features, "features");
  const labelled: number[] = [];
  let classes = 0;
  for (let e = 0; e < examples; e++) {
    const y = labels[e];
    if (!Number.isInteger(y) || y < -1)
      throw new AtlasError("BAD_INPUT", `labels[${e}] must be an integer ≥ 0 (or −1 for unlabelled), got ${y}`);
    if (y >= 0) {
      labelled.push(e);
      classes = Math.max(classes, y + 1);
    }
  }
  if (classes < 2) throw new AtlasError("BAD_INPUT", "labels must name at least two classes");
  const { train, test } = splitTrainTest(labelled, testFraction, seed);
  const { mean, scale } = featureScaling(features, width, train);
  const xTrain = standardizeRows(features, width, train, mean, scale);
  const xTest = standardizeRows(features, width, test, mean, scale);
  const yTrain = Int32Array.from(train, (e) => labels[e]);
  const yTest = Int32Array.from(test, (e) => labels[e]);

  const problem = { features: xTrain, n: train.length, width, labels: yTrain, classes, l2 };
  const fit = minimizeLbfgs(
    (theta, grad) => softmaxLossAndGradient(problem, theta, grad),
    new Float64Array(classes * (width + 1)),
    lbfgs,
  );
  const accuracyOf = (x: Float32Array, y: Int32Array) => {
    const predicted = predictClasses(fit.x, x, y.length, width, classes);
    let hits = 0;
    for (let i = 0; i < y.length; i++) if (predicted[i] === y[i]) hits++;
    return hits / y.length;
  };
  const counts = new Array<number>(classes).fill(0);
  for (const y of yTest) counts[y]++;
  return {
    accuracy: accuracyOf(xTest, yTest),
    trainAccuracy: accuracyOf(xTrain, yTrain),
    chance: Math.max(...counts) / yTest.length,
    classes,
    trainSize: train.length,
    testSize: test.length,
    loss: fit.value,
    iterations: fit.iterations,
    converged: fit.converged,
  };
}

export interface ProbeLayer {
  name: string;
  /** [examples × width] */
  features: Float32Array | Float64Array;
  width: number;
}

export interface ProbeFamily {
  name: string;
  /** per example a class index, −1 when the example has no label in this family */
  labels: ArrayLike<number>;
}

export interface ProbeGridCell extends LinearProbeResult {
  layer: string;
  family: string;
}

/**
 * Probes every layer × family (layer-major order). Every cell of a family uses the same split (same seed and
 * labelled examples), so layers are compared on identical held-out examples. `onCell` reports progress.
 */
export function probeGrid(
  layers: readonly ProbeLayer[],
  families: readonly ProbeFamily[],
  options: LinearProbeOptions = {},
  onCell?: (done: number, total: number, cell: ProbeGridCell) => void,
): ProbeGridCell[] {
  if (layers.length === 0 || families.length === 0)
    throw new AtlasError("BAD_INPUT", "probeGrid needs at least one layer and one family");
  const examples = families[0].labels.length;
  for (const f of families) assertLength(f.labels, examples, `labels of family "${f.name}"`);
  for (const l of layers) assertLength(l.features, examples * l.width, `features of layer "${l.name}"`);
  const cells: ProbeGridCell[] = [];
  const total = layers.length * families.length;
  for (const layer of layers)
    for (const family of families) {
      const cell = {
        layer: layer.name,
        family: family.name,
        ...trainLinearProbe(layer.features, layer.width, family.labels, options),
      };
      cells.push(cell);
      onCell?.(cells.length, total, cell);
    }
  return cells;
}
