// Inter-annotator agreement for the review page. Ratings are units × annotators, null/undefined = missing.
//   krippendorffAlphaNominal  α = 1 − (n − 1)·Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k, from the coincidence matrix
//                             o_ck = Σ_u (pairs (c, k) in unit u)/(m_u − 1) over units with m_u ≥ 2 values
//                             (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability")
//   fleissKappa               κ = (P̄ − P̄e)/(1 − P̄e) from a units × categories count table with the same
//                             number of ratings per unit (Fleiss 1971)
//   unitAgreement             one unit: majority value, its share, and pairwise agreement Σ n_c(n_c−1)/(m(m−1))
import { AtlasError } from "../errors";

export type RatingValue = string | number;
export type Rating = RatingValue | null | undefined;

export interface KrippendorffResult {
  /** null when undefined: fewer than 2 pairable values, or no variation at all (expected disagreement 0) */
  alpha: number | null;
  /** number of pairable values n */
  pairable: number;
  /** units with ≥ 2 values */
  units: number;
  observedDisagreement: number;
  expectedDisagreement: number;
}

function presentValues(row: readonly Rating[]): RatingValue[] {
  return row.filter((v): v is RatingValue => v !== null && v !== undefined);
}

function checkRatings(ratings: readonly (readonly Rating[])[]): void {
  if (!Array.isArray(ratings)) throw new AtlasError("BAD_INPUT", "ratings must be an array of units");
  ratings.forEach((row, u) => {
    if (!Array.isArray(row)) throw new AtlasError("BAD_INPUT", `ratings[${u}] must be an array of annotator values`);
    row.forEach((v, a) => {
      if (v !== null && v !== undefined && typeof v !== "string" && !(typeof v === "number" && Number.isFinite(v))) {
        throw new AtlasError("BAD_INPUT", `ratings[${u}][${a}] must be a string, a finite number or null`);
      }
    });
  });
}

/** Key so that 1 and "1" stay different values. */
const keyOf = (v: RatingValue) => `${typeof v}:${v}`;

export function krippendorffAlphaNominal(ratings: readonly (readonly Rating[])[]): KrippendorffResult {
  checkRatings(ratings);
  const coincidence = new Map<string, Map<string, number>>();
  let units = 0;
  for (const row of ratings) {
    const values = presentValues(row).map(keyOf);
    const m = values.length;
    if (m < 2) continue;
    units++;
    const counts = new Map<string, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    for (const [c, nc] of counts) {
      for (const [k, nk] of counts) {
        const pairs = c === k ? nc * (nc - 1) : nc * nk;
        if (pairs === 0) continue;
        const rowMap = coincidence.get(c) ?? new Map<string, number>();
        rowMap.set(k, (rowMap.get(k) ?? 0) + pairs / (m - 1));
        coincidence.set(c, rowMap);
      }
    }
  }
  const marginals = new Map<string, number>();
  let observed = 0;
  for (const [c, rowMap] of coincidence) {
    for (const [k, o] of rowMap) {
      marginals.set(c, (marginals.get(c) ?? 0) + o);
      if (c !== k) observed += o;
    }
  }
  const n = [...marginals.values()].reduce((a, b) => a + b, 0);
  let sumSquares = 0;
  for (const v of marginals.values()) sumSquares += v * v;
  const expectedPairs = n * n - sumSquares; // Σ_{c≠k} n_c n_k
  const observedDisagreement = n === 0 ? 0 : observed / n;
  const expectedDisagreement = n < 2 ? 0 : expectedPairs / (n * (n - 1));
  const alpha = n < 2 || expectedPairs === 0 ? null : 1 - ((n - 1) * observed) / expectedPairs;
  return { alpha, pairable: n, units, observedDisagreement, expectedDisagreement };
}

export interface FleissResult {
  /** null when P̄e = 1 (every rating in one category) */
  kappa: number | null;
  /** mean per-unit agreement P̄ */
  observedAgreement: number;
  /** chance agreement P̄e = Σ_j p_j² */
  expectedAgreement: number;
  /** share of all ratings per category */
  categoryShares: number[];
  raters: number;
}

/** Fleiss' κ from a count table counts[unit][category] with the same number of raters (≥ 2) per unit. */
export function fleissKappa(counts: readonly (readonly number[])[]): FleissResult {
  if (!counts || counts.length === 0) throw new AtlasError("BAD_INPUT", "counts must list at least one unit");
  const categories = counts[0].length;
  if (categories === 0) throw new AtlasError("BAD_INPUT", "counts rows must have at least one category");
  let raters = -1;
  counts.forEach((row, i) => {
    if (row.length !== categories)
      throw new AtlasError("SHAPE_MISMATCH", `counts[${i}] has ${row.length} categories, expected ${categories}`);
    row.forEach((x, j) => {
      if (!Number.isInteger(x) || x < 0)
        throw new AtlasError("BAD_INPUT", `counts[${i}][${j}] must be a non-negative integer, got ${x}`);
    });
    const n = row.reduce((a, b) => a + b, 0);
    if (raters === -1) raters = n;
    if (n !== raters)
      throw new AtlasError(
        "BAD_INPUT",
        `unit ${i} has ${n} ratings, unit 0 has ${raters}: Fleiss' κ needs the same number per unit (use Krippendorff's α)`,
      );
  });
  if (raters < 2) throw new AtlasError("BAD_INPUT", "Fleiss' κ needs at least 2 ratings per unit");
  const N = counts.length;
  const shares = new Array<number>(categories).fill(0);
  let pBar = 0;
  for (const row of counts) {
    let sq = 0;
    row.forEach((x, j) => {
      sq += x * x;
      shares[j] += x;
    });
    pBar += (sq - raters) / (raters * (raters - 1));
  }
  pBar /= N;
  for (let j = 0; j < categories; j++) shares[j] /= N * raters;
  const pe = shares.reduce((s, p) => s + p * p, 0);
  return {
    kappa: pe >= 1 ? null : (pBar - pe) / (1 - pe),
    observedAgreement: pBar,
    expectedAgreement: pe,
    categoryShares: shares,
    raters,
  };
}

/** Fleiss' κ from raw ratings (units × annotators, missing allowed if every unit keeps the same count). */
export function fleissKappaFromRatings(
  ratings: readonly (readonly Rating[])[],
): FleissResult & { categories: RatingValue[] } {
  checkRatings(ratings);
  const values = ratings.map(presentValues);
  const categories: RatingValue[] = [];
  const index = new Map<string, number>();
  for (const row of values)
    for (const v of row)
      if (!index.has(keyOf(v))) {
        index.set(keyOf(v), categories.length);
        categories.push(v);
      }
  const counts = values.map((row) => {
    const c = new Array<number>(categories.length).fill(0);
    for (const v of row) c[index.get(keyOf(v))!]++;
    return c;
  });
  return { ...fleissKappa(counts), categories };
}

export interface UnitAgreement {
  ratings: number;
  /** most frequent value (ties: the one given first) */
  majority: RatingValue | null;
  majorityShare: number | null;
  /** share of agreeing ordered annotator pairs (null with < 2 ratings) */
  pairwiseAgreement: number | null;
}

export function unitAgreement(row: readonly Rating[]): UnitAgreement {
  checkRatings([row]);
  const values = presentValues(row);
  const m = values.length;
  if (m === 0) return { ratings: 0, majority: null, majorityShare: null, pairwiseAgreement: null };
  const counts = new Map<string, { value: RatingValue; n: number }>();
  for (const v of values) {
    const e = counts.get(keyOf(v));
    if (e) e.n++;
    else counts.set(keyOf(v), { value: v, n: 1 });
  }
  let best: { value: RatingValue; n: number } | null = null;
  let agreeing = 0;
  for (const e of counts.values()) {
    if (!best || e.n > best.n) best = e;
    agreeing += e.n * (e.n - 1);
  }
  return {
    ratings: m,
    majority: best!.value,
    majorityShare: best!.n / m,
    pairwiseAgreement: m < 2 ? null : agreeing / (m * (m - 1)),
  };
}
