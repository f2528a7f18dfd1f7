// Multinomial logistic regression: the L2-regularized mean cross-entropy and its gradient, an L-BFGS
// minimizer (two-loop recursion, Armijo backtracking) and argmax prediction. Parameters θ are
// [W (classes × width) row-major, b (classes)];
//   L(θ) = (1/n) Σ_i [log Σ_k exp(z_ik) − z_{i,y_i}] + (λ/2)‖W‖²,   z_ik = W_k · x_i + b_k   (b unregularized)
//   ∂L/∂W_k = (1/n) Σ_i (p_ik − [y_i = k]) x_i + λ W_k,   ∂L/∂b_k = (1/n) Σ_i (p_ik − [y_i = k]).
import { AtlasError } from "../errors";

export interface SoftmaxProblem {
  /** [n × width] row-major (already standardized) */
  features: Float32Array | Float64Array;
  n: number;
  width: number;
  /** class of each row, integers in [0, classes) */
  labels: Int32Array;
  classes: number;
  /** λ, the L2 weight on W */
  l2: number;
}

/** L(θ); writes ∂L/∂θ into `grad`. Rows go in blocks of 4 so each weight read serves 4 rows (≈2× faster in V8). */
export function softmaxLossAndGradient(p: SoftmaxProblem, theta: Float64Array, grad: Float64Array): number {
  const { features: X, n, width: d, labels, classes: K, l2 } = p;
  const bOff = K * d;
  grad.fill(0);
  const z = new Float64Array(4 * K);
  let loss = 0;
  for (let i0 = 0; i0 < n; i0 += 4) {
    const rows = Math.min(4, n - i0);
    const r0 = i0 * d,
      r1 = r0 + d,
      r2 = r1 + d,
      r3 = r2 + d;
    // logits z[r·K + k] of the block's rows
    for (let k = 0; k < K; k++) {
      const w = k * d,
        b = theta[bOff + k];
      if (rows === 4) {
        let s0 = b,
          s1 = b,
          s2 = b,
          s3 = b;
        for (let j = 0; j < d; j++) {
          const t = theta[w + j];
          s0 += t * X[r0 + j];
          s1 += t * X[r1 + j];
          s2 += t * X[r2 + j];
          s3 += t * X[r3 + j];
        }
        z[k] = s0;
        z[K + k] = s1;
        z[2 * K + k] = s2;
        z[3 * K + k] = s3;
      } else {
        for (let r = 0; r < rows; r++) {
          let s = b;
          const row = r0 + r * d;
          for (let j = 0; j < d; j++) s += theta[w + j] * X[row + j];
          z[r * K + k] = s;
        }
      }
    }
    // loss, and z becomes the coefficient (p_ik − [y_i = k]) / n
    for (let r = 0; r < rows; r++) {
      const o = r * K,
        y = labels[i0 + r];
      let max = -Infinity;
      for (let k = 0; k < K; k++) if (z[o + k] > max) max = z[o + k];
      let sum = 0;
      for (let k = 0; k < K; k++) sum += Math.exp(z[o + k] - max);
      const lse = max + Math.log(sum);
      loss += lse - z[o + y];
      for (let k = 0; k < K; k++) z[o + k] = (Math.exp(z[o + k] - lse) - (k === y ? 1 : 0)) / n;
    }
    for (let k = 0; k < K; k++) {
      const w = k * d;
      if (rows === 4) {
        const c0 = z[k],
          c1 = z[K + k],
          c2 = z[2 * K + k],
          c3 = z[3 * K + k];
        for (let j = 0; j < d; j++) grad[w + j] += c0 * X[r0 + j] + c1 * X[r1 + j] + c2 * X[r2 + j] + c3 * X[r3 + j];
        grad[bOff + k] += c0 + c1 + c2 + c3;
      } else {
        for (let r = 0; r < rows; r++) {
          const c = z[r * K + k],
            row = r0 + r * d;
          for (let j = 0; j < d; j++) grad[w + j] += c * X[row + j];
          grad[bOff + k] += c;
        }
      }
    }
  }
  loss /= n;
  let reg = 0;
  for (let q = 0; q < bOff; q++) {
    reg += theta[q] * theta[q];
    grad[q] += l2 * theta[q];
  }
  return loss + 0.5 * l2 * reg;
}

/** Predicted class per row (argmax of the logits, ties to the lower class). */
export function predictClasses(
  theta: Float64Array,
  features: Float32Array | Float64Array,
  n: number,
  width: number,
  classes: number,
): Int32Array {
  const out = new Int32Array(n);
  const bOff = classes * width;
  for (let i = 0; i < n; i++) {
    let best = 0,
      bestZ = -Infinity;
    for (let k = 0; k < classes; k++) {
      let s = theta[bOff + k];
      for (let j = 0; j < width; j++) s += theta[k * width + j] * features[i * width + j];
      if (s > bestZ) {
        bestZ = s;
        best = k;
      }
    }
    out[i] = best;
  }
  return out;
}

export interface LbfgsOptions {
  maxIterations?: number;
  /** history pairs kept (default 10) */
  memory?: number;
  /** stop when max |∂L/∂θ| falls below this (default 1e-4, scikit-learn's lbfgs tolerance) */
  gradientTolerance?: number;
  /** stop when an iteration lowers L by less than this × max(|L|, 1) (default 1e-9) */
  relativeTolerance?: number;
}

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
}

const dot = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/** Minimizes a smooth function f(x, grad) → value from x0 with L-BFGS (deterministic). */
export function minimizeLbfgs(
  f: (x: Float64Array, grad: Float64Array) => number,
  x0: Float64Array,
  options: LbfgsOptions = {},
): LbfgsResult {
  const { maxIterations = 100, memory = 10, gradientTolerance = 1e-4, relativeTolerance = 1e-9 } = options;
  if (!Number.isInteger(maxIterations) || maxIterations < 0)
    throw new AtlasError("BAD_OPTION", `maxIterations must be a non-negative integer, got ${maxIterations}`);
  const dim = x0.length;
  let x = Float64Array.from(x0);
  let g = new Float64Array(dim);
  let fx = f(x, g);
  let evaluations = 1;
  const S: Float64Array[] = [],
    Y: Float64Array[] = [],
    rho: number[] = [];
  const alpha = new Float64Array(memory);
  const dir = new Float64Array(dim);
  let xNew = new Float64Array(dim),
    gNew = new Float64Array(dim);
  let iterations = 0,
    converged = false;
  for (; iterations < maxIterations; iterations++) {
    let gMax = 0;
    for (let i = 0; i < dim; i++) gMax = Math.max(gMax, Math.abs(g[i]));
    if (gMax < gradientTolerance) {
      converged = true;
      break;
    }
    // two-loop recursion: dir = −H·g
    for (let i = 0; i < dim; i++) dir[i] = g[i];
    for (let m = S.length - 1; m >= 0; m--) {
      alpha[m] = rho[m] * dot(S[m], dir);
      const y = Y[m];
      for (let i = 0; i < dim; i++) dir[i] -= alpha[m] * y[i];
    }
    const last = S.length - 1;
    const gamma = last >= 0 ? dot(S[last], Y[last]) / dot(Y[last], Y[last]) : 1 / Math.sqrt(dot(g, g));
    for (let i = 0; i < dim; i++) dir[i] *= gamma;
    for (let m = 0; m < S.length; m++) {
      const beta = rho[m] * dot(Y[m], dir);
      const s = S[m];
      for (let i = 0; i < dim; i++) dir[i] += s[i] * (alpha[m] - beta);
    }
    for (let i = 0; i < dim; i++) dir[i] = -dir[i];
    let slope = dot(g, dir);
    if (!(slope < 0)) {
      // not a descent direction: restart from steepest descent
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      const scale = 1 / Math.sqrt(dot(g, g));
      for (let i = 0; i < dim; i++) dir[i] = -g[i] * scale;
      slope = dot(g, dir);
    }
    // Armijo backtracking from the unit step
    let step = 1,
      fNew: number;
    for (;;) {
      for (let i = 0; i < dim; i++) xNew[i] = x[i] + step * dir[i];
      fNew = f(xNew, gNew);
      evaluations++;
      if (fNew <= fx + 1e-4 * step * slope) break;
      step *= 0.5;
      if (step < 1e-12) break;
    }
    if (!(fNew < fx)) {
      converged = true;
      break;
    } // no further progress possible
    const s = new Float64Array(dim),
      y = new Float64Array(dim);
    for (let i = 0; i < dim; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
    }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
      if (S.length > memory) {
        S.shift();
        Y.shift();
        rho.shift();
      }
    }
    const decrease = fx - fNew;
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    fx = fNew;
    if (decrease <= relativeTolerance * Math.max(Math.abs(fx), 1)) {
      iterations++;
      converged = true;
      break;
    }
  }
  return { x, value: fx, iterations, evaluations, converged };
}
