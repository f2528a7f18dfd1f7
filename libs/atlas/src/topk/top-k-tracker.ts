// Streaming top-k examples per unit: one bounded min-heap of size k per unit (root = weakest kept entry),
// stored in preallocated typed arrays, so memory is O(units × k × positions) however many examples flow
// through. Ties are broken deterministically: equal activations rank the smaller example id first, so the
// result does not depend on batch boundaries or feed order. Snapshots make it checkpointable.
import { AtlasError } from "../errors";
import { type ActivationBatch, checkBatch, positionStrideOf } from "../util/batch";
import {
  adoptOrCopy,
  isNumberList,
  snapshotArray,
  type NumberList,
  type RestoreMode,
  type SnapshotMode,
} from "../util/snapshot-arrays";
import { assertNonNegativeInt, assertPositiveInt } from "../util/validate";

export interface TopKOptions {
  units: number;
  /** examples kept per unit (default 20) */
  k?: number;
  /** per-position values kept with each entry (tokens/patches); 0 = none (default) */
  positions?: number;
}

export interface TopKEntry {
  exampleId: number;
  value: number;
  /** the unit's value at each position of this example (when the tracker keeps positions) */
  positionValues?: Float32Array;
}

export interface TopKSnapshot {
  kind: "topk";
  version: 1;
  units: number;
  k: number;
  positions: number;
  examplesSeen: number;
  /** typed arrays from snapshot() (Int32Array / Float64Array / Float32Array); restore() also takes number[] */
  sizes: NumberList;
  values: NumberList;
  ids: NumberList;
  slots: NumberList;
  positionValues: NumberList;
}

export const DEFAULT_TOP_K = 20;

/** true when (va, ia) ranks strictly above (vb, ib): larger value, then smaller example id */
function ranksAbove(va: number, ia: number, vb: number, ib: number): boolean {
  return va > vb || (va === vb && ia < ib);
}

export class TopKTracker {
  readonly units: number;
  readonly k: number;
  readonly positions: number;
  private examplesSeen = 0;
  private sizes: Int32Array;
  private values: Float64Array;
  private ids: Float64Array;
  /** heap position -> storage slot of its per-position values (slots are stable, heap order is not) */
  private slots: Int32Array;
  private positionStore: Float32Array;

  /** bytes a tracker with these options allocates (what byteSize() of one will say), without allocating it */
  static bytesFor(options: TopKOptions): number {
    const { units, k = DEFAULT_TOP_K, positions = 0 } = options;
    return units * 4 + units * k * (8 + 8 + 4) + units * k * positions * 4;
  }

  constructor(options: TopKOptions) {
    const { units, k = DEFAULT_TOP_K, positions = 0 } = options;
    assertPositiveInt(units, "units");
    assertPositiveInt(k, "k");
    assertNonNegativeInt(positions, "positions");
    this.units = units;
    this.k = k;
    this.positions = positions;
    this.sizes = new Int32Array(units);
    this.values = new Float64Array(units * k);
    this.ids = new Float64Array(units * k);
    this.slots = new Int32Array(units * k);
    this.positionStore = new Float32Array(units * k * positions);
  }

  /** Feeds one batch; each example must be fed once over the whole stream. */
  add(batch: ActivationBatch): void {
    const examples = checkBatch(batch, this.units, this.positions, true);
    const { activations, exampleIds, positionValues } = batch;
    const { units, k, positions, sizes, values, ids, slots, positionStore } = this;
    const stride = positionValues ? positionStrideOf(batch, positions) : positions;
    for (let e = 0; e < examples; e++) {
      const id = exampleIds[e];
      const row = e * units;
      for (let u = 0; u < units; u++) {
        const v = activations[row + u];
        const base = u * k;
        const size = sizes[u];
        let slot: number;
        if (size < k) {
          slot = size;
          values[base + size] = v;
          ids[base + size] = id;
          slots[base + size] = slot;
          sizes[u] = size + 1;
          this.siftUp(base, size);
        } else {
          // gate on the heap root (the weakest kept entry) before touching the heap
          const root = values[base];
          if (v < root || (v === root && !(id < ids[base]))) continue;
          slot = slots[base];
          values[base] = v;
          ids[base] = id;
          this.siftDown(base, k);
        }
        if (positionValues && positions > 0) {
          const dst = (base + slot) * positions;
          for (let t = 0; t < stride; t++) positionStore[dst + t] = positionValues[(e * stride + t) * units + u];
          if (stride < positions) positionStore.fill(0, dst + stride, dst + positions);
        }
      }
    }
    this.examplesSeen += examples;
  }

  /** The unit's kept examples, strongest first (ties: smaller example id first). */
  result(unit: number): TopKEntry[] {
    this.checkUnit(unit);
    const base = unit * this.k;
    const out: TopKEntry[] = [];
    for (let i = 0; i < this.sizes[unit]; i++) {
      const entry: TopKEntry = { exampleId: this.ids[base + i], value: this.values[base + i] };
      if (this.positions > 0) {
        const src = (base + this.slots[base + i]) * this.positions;
        entry.positionValues = this.positionStore.slice(src, src + this.positions);
      }
      out.push(entry);
    }
    return out.sort((a, b) => (ranksAbove(a.value, a.exampleId, b.value, b.exampleId) ? -1 : 1));
  }

  /** number of examples fed so far */
  get examplesCount(): number {
    return this.examplesSeen;
  }

  /** entries currently held over all units (≤ units × k) */
  storedEntries(): number {
    let n = 0;
    for (let u = 0; u < this.units; u++) n += this.sizes[u];
    return n;
  }

  /** bytes held by the tracker's buffers (fixed at construction) */
  byteSize(): number {
    return (
      this.sizes.byteLength +
      this.values.byteLength +
      this.ids.byteLength +
      this.slots.byteLength +
      this.positionStore.byteLength
    );
  }

  /** The state as typed arrays: copies, or with mode "share" views of the live buffers (see SnapshotMode). */
  snapshot(mode: SnapshotMode = "copy"): TopKSnapshot {
    return {
      kind: "topk",
      version: 1,
      units: this.units,
      k: this.k,
      positions: this.positions,
      examplesSeen: this.examplesSeen,
      sizes: snapshotArray(this.sizes, mode),
      values: snapshotArray(this.values, mode),
      ids: snapshotArray(this.ids, mode),
      slots: snapshotArray(this.slots, mode),
      positionValues: snapshotArray(this.positionStore, mode),
    };
  }

  /** mode "adopt": the snapshot's typed arrays become the tracker's buffers (see RestoreMode) */
  static restore(snapshot: TopKSnapshot, mode: RestoreMode = "copy"): TopKTracker {
    if (snapshot?.kind !== "topk" || snapshot.version !== 1)
      throw new AtlasError("BAD_SNAPSHOT", "not a version-1 top-k snapshot");
    const t = new TopKTracker({ units: snapshot.units, k: snapshot.k, positions: snapshot.positions });
    const n = t.units * t.k;
    const lists = [snapshot.sizes, snapshot.values, snapshot.ids, snapshot.slots, snapshot.positionValues];
    const ok =
      lists.every(isNumberList) &&
      snapshot.sizes.length === t.units &&
      snapshot.values?.length === n &&
      snapshot.ids?.length === n &&
      snapshot.slots?.length === n &&
      snapshot.positionValues?.length === n * t.positions &&
      Array.prototype.every.call(snapshot.sizes, (s: number) => Number.isInteger(s) && s >= 0 && s <= t.k) &&
      Number.isInteger(snapshot.examplesSeen);
    if (!ok) throw new AtlasError("BAD_SNAPSHOT", "top-k snapshot arrays do not match its units/k/positions");
    t.sizes = adoptOrCopy(t.sizes, snapshot.sizes, mode);
    t.values = adoptOrCopy(t.values, snapshot.values, mode);
    t.ids = adoptOrCopy(t.ids, snapshot.ids, mode);
    t.slots = adoptOrCopy(t.slots, snapshot.slots, mode);
    t.positionStore = adoptOrCopy(t.positionStore, snapshot.positionValues, mode);
    t.examplesSeen = snapshot.examplesSeen;
    return t;
  }

  private checkUnit(unit: number): void {
    if (!Number.isInteger(unit) || unit < 0 || unit >= this.units) {
      throw new AtlasError("BAD_INPUT", `unit must be an integer in [0, ${this.units}), got ${unit}`);
    }
  }

  /** heap order: the weakest entry (lowest value, then largest id) at the root */
  private weaker(a: number, b: number): boolean {
    return ranksAbove(this.values[b], this.ids[b], this.values[a], this.ids[a]);
  }

  private swap(a: number, b: number): void {
    const v = this.values[a];
    this.values[a] = this.values[b];
    this.values[b] = v;
    const i = this.ids[a];
    this.ids[a] = this.ids[b];
    this.ids[b] = i;
    const s = this.slots[a];
    this.slots[a] = this.slots[b];
    this.slots[b] = s;
  }

  private siftUp(base: number, index: number): void {
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.weaker(base + i, base + parent)) break;
      this.swap(base + i, base + parent);
      i = parent;
    }
  }

  private siftDown(base: number, size: number): void {
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && this.weaker(base + l, base + m)) m = l;
      if (r < size && this.weaker(base + r, base + m)) m = r;
      if (m === i) return;
      this.swap(base + i, base + m);
      i = m;
    }
  }
}
