// Network Dissection (Bau et al. 2017) for image units: each unit's patch-grid activation map is upsampled
// (bilinear) to the concept masks' resolution and thresholded at the unit's top-quantile activation T_k
// (pass 1, DissectionThresholds); pass 2 (DissectionIouAccumulator) streams examples and accumulates, over
// the whole dataset,
//   IoU_{k,c} = Σ_x |M_k(x) ∩ L_c(x)| / Σ_x |M_k(x) ∪ L_c(x)|,   M_k(x) = upsample(A_k(x)) > T_k,
// where L_c(x) is concept c's binary mask on example x (empty when c is absent). It keeps only
// Σ|M_k ∩ L_c| per (unit, concept), Σ|M_k| per unit and Σ|L_c| per concept (|M ∪ L| = |M| + |L| − |M ∩ L|),
// so memory does not grow with the dataset. Results do not depend on batch boundaries; snapshot()/restore()
// checkpoint both passes. One unit's maps [examples × rows × cols] are the case units = 1, positions = rows·cols,
// grid.firstPatch = 0.
import { AtlasError } from "../errors";
import { isNumberList, snapshotCopy, type NumberList } from "../util/snapshot-arrays";
import { assertAllFinite, assertLength, assertPositiveInt } from "../util/validate";
import { checkConcepts } from "./concept-ranking";
import { checkGrid, type PatchGrid } from "./network-dissection-grid";
import { batchExamples, DissectionThresholds, NETDISSECT_TOP_QUANTILE } from "./network-dissection-threshold";
import { bilinearAxis, thresholdUpsampled, type BilinearAxis } from "./network-dissection-upsample";

/** Bau et al. call a unit a detector of its best concept when IoU > 0.04. */
export const NETDISSECT_DETECTOR_IOU = 0.04;

/** One concept's mask on one example: [maskRows × maskCols] row-major, nonzero = concept pixel. */
export interface ExampleConceptMask {
  concept: string;
  mask: ArrayLike<number>;
}

export interface DissectionIouOptions {
  units: number;
  /** positions per example in the fed tensors [examples × positions × units] */
  positions: number;
  grid: PatchGrid;
  /** the concept vocabulary; masks name their concept by one of these */
  concepts: readonly string[];
  /** T_k per unit (e.g. DissectionThresholds.thresholds()) */
  thresholds: ArrayLike<number>;
  maskRows: number;
  maskCols: number;
}

export interface ConceptIou {
  concept: string;
  iou: number;
  /** Σ over examples of |M_k ∩ L_c| and |M_k ∪ L_c|, in mask pixels */
  intersection: number;
  union: number;
}

export interface DissectionUnit {
  unit: number;
  threshold: number;
  /** fraction of all mask pixels of all examples where the unit's upsampled map exceeds T_k */
  activeFraction: number;
  /** the highest-IoU concept; null when every IoU is 0 */
  best: ConceptIou | null;
  /** concepts by descending IoU (ties in vocabulary order), cut to `count` */
  concepts: ConceptIou[];
}

export interface DissectionIouSnapshot {
  kind: "dissection-iou";
  version: 1;
  options: {
    units: number;
    positions: number;
    grid: PatchGrid;
    concepts: string[];
    thresholds: NumberList;
    maskRows: number;
    maskCols: number;
  };
  examplesSeen: number;
  /** Σ|M_k ∩ L_c| [units × concepts], Σ|M_k| [units], Σ|L_c| [concepts] (typed arrays from snapshot(); restore() also takes number[]) */
  intersections: NumberList;
  unitArea: NumberList;
  conceptArea: NumberList;
}

/** Streams [examples × positions × units] activations with per-example concept masks; accumulates IoU counts. */
export class DissectionIouAccumulator {
  readonly units: number;
  readonly positions: number;
  readonly grid: PatchGrid;
  readonly concepts: readonly string[];
  readonly thresholds: Float64Array;
  readonly maskRows: number;
  readonly maskCols: number;
  private readonly conceptIndex = new Map<string, number>();
  private readonly intersections: Float64Array;
  private readonly unitArea: Float64Array;
  private readonly conceptArea: Float64Array;
  private readonly axes: { rows: BilinearAxis; cols: BilinearAxis };
  private readonly hot: Uint8Array;
  private readonly active: Uint8Array;
  private readonly maxima: Float64Array;
  private examplesSeen = 0;

  constructor(options: DissectionIouOptions) {
    const { units, positions, grid, concepts, thresholds, maskRows, maskCols } = options;
    assertPositiveInt(units, "units");
    checkGrid(grid, positions);
    checkConcepts(concepts);
    assertPositiveInt(maskRows, "maskRows");
    assertPositiveInt(maskCols, "maskCols");
    assertLength(thresholds, units, "thresholds");
    assertAllFinite(thresholds, "thresholds");
    concepts.forEach((c, i) => {
      if (this.conceptIndex.has(c)) throw new AtlasError("BAD_INPUT", `concepts[${i}] repeats "${c}"`);
      this.conceptIndex.set(c, i);
    });
    this.units = units;
    this.positions = positions;
    this.grid = { ...grid };
    this.concepts = [...concepts];
    this.thresholds = Float64Array.from(thresholds);
    this.maskRows = maskRows;
    this.maskCols = maskCols;
    this.intersections = new Float64Array(units * concepts.length);
    this.unitArea = new Float64Array(units);
    this.conceptArea = new Float64Array(concepts.length);
    this.axes = { rows: bilinearAxis(grid.rows, maskRows), cols: bilinearAxis(grid.cols, maskCols) };
    this.hot = new Uint8Array(grid.rows * grid.cols + grid.rows);
    this.active = new Uint8Array(maskRows * maskCols);
    this.maxima = new Float64Array(units);
  }

  get examples(): number {
    return this.examplesSeen;
  }

  /** Feeds a batch: activations [examples × positions × units] and, per example, the masks of the concepts present. */
  add(values: Float32Array | Float64Array, masks: readonly (readonly ExampleConceptMask[])[]): void {
    const { units, positions, maskRows, maskCols, thresholds, maxima, active, hot } = this;
    const { rows, cols, firstPatch } = this.grid;
    const examples = batchExamples(values, positions, units);
    assertLength(masks, examples, "masks");
    assertAllFinite(values, "values");
    const pixels = maskRows * maskCols;
    const nConcepts = this.concepts.length;
    for (let e = 0; e < examples; e++) {
      const present = this.readMasks(masks[e], e, pixels);
      for (const { concept, pixels: p } of present) this.conceptArea[concept] += p.length;

      const gridStart = (e * positions + firstPatch) * units;
      maxima.fill(-Infinity);
      for (let t = 0; t < rows * cols; t++) {
        const row = gridStart + t * units;
        for (let u = 0; u < units; u++) if (values[row + u] > maxima[u]) maxima[u] = values[row + u];
      }
      for (let u = 0; u < units; u++) {
        // bilinear weights are convex: a map whose maximum is ≤ T_k has no pixel above T_k
        if (maxima[u] <= thresholds[u]) continue;
        const area = thresholdUpsampled(
          values,
          rows,
          cols,
          this.axes,
          thresholds[u],
          active,
          gridStart + u,
          units,
          hot,
        );
        this.unitArea[u] += area;
        if (area === 0) continue;
        for (const { concept, pixels: p } of present) {
          let inter = 0;
          for (let j = 0; j < p.length; j++) inter += active[p[j]];
          this.intersections[u * nConcepts + concept] += inter;
        }
      }
    }
    this.examplesSeen += examples;
  }

  /** IoU_{k,c} as [units × concepts] row-major (0 where the union is empty). */
  iou(): Float64Array {
    const C = this.concepts.length;
    const out = new Float64Array(this.units * C);
    for (let u = 0; u < this.units; u++)
      for (let c = 0; c < C; c++) {
        const inter = this.intersections[u * C + c];
        const union = this.unitArea[u] + this.conceptArea[c] - inter;
        out[u * C + c] = union > 0 ? inter / union : 0;
      }
    return out;
  }

  /** Each unit's concepts ranked by IoU (the best `count`, default all) with its best concept. */
  result(count = this.concepts.length): DissectionUnit[] {
    assertPositiveInt(count, "count");
    const C = this.concepts.length;
    const iou = this.iou();
    const totalPixels = this.examplesSeen * this.maskRows * this.maskCols;
    const out: DissectionUnit[] = [];
    for (let u = 0; u < this.units; u++) {
      const order = this.concepts.map((_, c) => c).sort((a, b) => iou[u * C + b] - iou[u * C + a] || a - b);
      const ranked = order.slice(0, count).map((c): ConceptIou => {
        const inter = this.intersections[u * C + c];
        return {
          concept: this.concepts[c],
          iou: iou[u * C + c],
          intersection: inter,
          union: this.unitArea[u] + this.conceptArea[c] - inter,
        };
      });
      out.push({
        unit: u,
        threshold: this.thresholds[u],
        activeFraction: totalPixels > 0 ? this.unitArea[u] / totalPixels : 0,
        best: ranked[0].iou > 0 ? ranked[0] : null,
        concepts: ranked,
      });
    }
    return out;
  }

  /** A checkpoint of the state (copies of the buffers). */
  snapshot(): DissectionIouSnapshot {
    const { units, positions, grid, concepts, maskRows, maskCols } = this;
    return {
      kind: "dissection-iou",
      version: 1,
      options: {
        units,
        positions,
        grid: { ...grid },
        concepts: [...concepts],
        thresholds: snapshotCopy(this.thresholds),
        maskRows,
        maskCols,
      },
      examplesSeen: this.examplesSeen,
      intersections: snapshotCopy(this.intersections),
      unitArea: snapshotCopy(this.unitArea),
      conceptArea: snapshotCopy(this.conceptArea),
    };
  }

  static restore(s: DissectionIouSnapshot): DissectionIouAccumulator {
    if (s?.kind !== "dissection-iou" || s.version !== 1)
      throw new AtlasError("BAD_SNAPSHOT", "not a version-1 dissection-iou snapshot");
    const acc = new DissectionIouAccumulator(s.options);
    const lists = [s.intersections, s.unitArea, s.conceptArea];
    const ok =
      lists.every(isNumberList) &&
      s.intersections.length === acc.intersections.length &&
      s.unitArea.length === acc.units &&
      s.conceptArea.length === acc.concepts.length &&
      Number.isInteger(s.examplesSeen) &&
      s.examplesSeen >= 0 &&
      lists.every((l) => Array.prototype.every.call(l, (v: number) => Number.isFinite(v) && v >= 0));
    if (!ok) throw new AtlasError("BAD_SNAPSHOT", "dissection-iou snapshot arrays do not match its units/concepts");
    acc.intersections.set(s.intersections);
    acc.unitArea.set(s.unitArea);
    acc.conceptArea.set(s.conceptArea);
    acc.examplesSeen = s.examplesSeen;
    return acc;
  }

  /** Validated concept indices and mask pixel lists of one example. */
  private readMasks(
    masks: readonly ExampleConceptMask[],
    e: number,
    pixels: number,
  ): { concept: number; pixels: Int32Array }[] {
    if (!Array.isArray(masks)) throw new AtlasError("BAD_INPUT", `masks[${e}] must be a list of concept masks`);
    const seen = new Set<number>();
    return masks.map(({ concept, mask }, j) => {
      const c = this.conceptIndex.get(concept);
      if (c === undefined) throw new AtlasError("BAD_INPUT", `masks[${e}][${j}] names unknown concept "${concept}"`);
      if (seen.has(c)) throw new AtlasError("BAD_INPUT", `masks[${e}] has concept "${concept}" twice`);
      seen.add(c);
      assertLength(mask, pixels, `masks[${e}][${j}].mask`);
      let n = 0;
      for (let i = 0; i < pixels; i++) if (mask[i]) n++;
      const list = new Int32Array(n);
      for (let i = 0, k = 0; i < pixels; i++) if (mask[i]) list[k++] = i;
      return { concept: c, pixels: list };
    });
  }
}

export interface NetworkDissectionInput {
  /** [examples × positions × units] for the whole (small) dataset */
  values: Float32Array | Float64Array;
  positions: number;
  units: number;
  grid: PatchGrid;
  /** per example, the masks of the concepts present */
  masks: readonly (readonly ExampleConceptMask[])[];
  concepts: readonly string[];
  maskRows: number;
  maskCols: number;
}

export interface NetworkDissectionOptions {
  /** fraction of grid activations above T_k; default 0.005 */
  quantile?: number;
  /** concepts kept per unit; default all */
  count?: number;
}

/** Both passes over an in-memory dataset (fixtures, small sets). Larger sets stream through the two accumulators. */
export function networkDissection(
  input: NetworkDissectionInput,
  options: NetworkDissectionOptions = {},
): DissectionUnit[] {
  const { values, positions, units, grid, masks, concepts, maskRows, maskCols } = input;
  const totalExamples = batchExamples(values, positions, units);
  const pass1 = new DissectionThresholds({
    units,
    positions,
    grid,
    totalExamples,
    quantile: options.quantile ?? NETDISSECT_TOP_QUANTILE,
  });
  pass1.add(values);
  const pass2 = new DissectionIouAccumulator({
    units,
    positions,
    grid,
    concepts,
    thresholds: pass1.thresholds(),
    maskRows,
    maskCols,
  });
  pass2.add(values, masks);
  return pass2.result(options.count);
}
