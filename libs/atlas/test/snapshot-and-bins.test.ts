// Typed-array snapshots (binary-checkpointable, still JSON-serializable as number arrays), the table-guided
// LogBins.indexOf (exact bin for every value, no Math.log), and the finiteness scan a caller may do once per tensor.
import { isAtlasError, LogBins, QuantileSampler, reduceOverPositions, TopKTracker, UnitStatsAccumulator } from "../src";
import { snapshotArray, type NumberList } from "../src/util/snapshot-arrays";

/** the buffer under a snapshot's typed array */
const bufferOf = (list: NumberList) => (list as Float32Array).buffer;

/** the bin by definition: the unique i with edges[i] ≤ v < edges[i+1] */
function binByEdges(b: LogBins, v: number): number {
  let i = 0;
  while (i < b.bins - 1 && v >= b.edges[i + 1]) i++;
  return i;
}

describe("LogBins.indexOf", () => {
  it("returns the bin whose edges enclose the value, at and around every edge", () => {
    for (const opts of [
      { min: 1e-3, max: 1e2, bins: 40 },
      { min: 1e-3, max: 1e3, bins: 72 },
      { min: 0.5, max: 0.50001, bins: 7 },
      { min: 1e-30, max: 1e30, bins: 600 },
    ]) {
      const b = new LogBins(opts);
      for (const e of b.edges) {
        for (const v of [
          e,
          Math.fround(e),
          e * (1 - 1e-15),
          e * (1 + 1e-15),
          Math.fround(e) * (1 - 6e-8),
          Math.fround(e) * (1 + 6e-8),
        ]) {
          if (v >= b.min && v < b.max) expect(b.indexOf(v)).toBe(binByEdges(b, v));
        }
      }
    }
  });

  it("matches the edges on a dense sweep of float32 and float64 values", () => {
    const b = new LogBins({ min: 1e-3, max: 1e2, bins: 25 });
    let mismatches = 0;
    for (let i = 0; i < 20000; i++) {
      const v = 1e-3 * Math.pow(1e5, i / 20000);
      if (b.indexOf(v) !== binByEdges(b, v)) mismatches++;
      const f = Math.fround(v);
      if (f >= b.min && f < b.max && b.indexOf(f) !== binByEdges(b, f)) mismatches++;
    }
    expect(mismatches).toBe(0);
    // float32 input read with its bit pattern (as UnitStatsAccumulator / QuantileSampler do) bins alike
    const f32 = Float32Array.from({ length: 5000 }, (_, i) => 1e-3 * Math.pow(1e5, i / 5000));
    const bits = new Int32Array(f32.buffer);
    expect(Array.from(f32, (v, i) => b.indexOfFloat32(v, bits[i]))).toEqual(Array.from(f32, (v) => binByEdges(b, v)));
    // hand case: edges 1, 10, 100 → 9.999 in bin 0, 10 in bin 1
    const c = new LogBins({ min: 1, max: 100, bins: 2 });
    expect([c.indexOf(1), c.indexOf(9.999), c.indexOf(10), c.indexOf(99.99)]).toEqual([0, 0, 1, 1]);
  });
});

describe("typed-array snapshots", () => {
  const batch = {
    exampleIds: [4, 5],
    activations: new Float32Array([1, 3, 2, 0.5]),
    positionValues: new Float32Array([1, 3, 0, 0, 2, 0.5, 1, 0]),
  };

  it("snapshot() gives typed arrays that JSON-serialize to number arrays; restore takes both forms", () => {
    const t = new TopKTracker({ units: 2, k: 1, positions: 2 });
    t.add(batch);
    const s = t.snapshot();
    expect(s.values).toBeInstanceOf(Float64Array);
    expect(s.sizes).toBeInstanceOf(Int32Array);
    expect(s.positionValues).toBeInstanceOf(Float32Array);
    const json = JSON.parse(JSON.stringify(s));
    expect(json.values).toEqual([2, 3]);
    for (const form of [s, json]) {
      const r = TopKTracker.restore(form);
      expect(r.result(0).map((e) => [e.exampleId, e.value, Array.from(e.positionValues!)])).toEqual([[5, 2, [2, 1]]]);
      expect(r.result(1).map((e) => [e.exampleId, e.value])).toEqual([[4, 3]]);
    }
    // the snapshot is a copy: feeding more does not change it
    t.add({ exampleIds: [6], activations: new Float32Array([9, 9]), positionValues: new Float32Array([9, 9, 9, 9]) });
    expect(Array.from(s.values)).toEqual([2, 3]);
  });

  it("quantile and stats snapshots round-trip through typed arrays and JSON alike", () => {
    const q = new QuantileSampler({ units: 2, positions: 2, seed: 3, min: 0.1, max: 10, bins: 4, perBin: 1 });
    q.add(batch);
    const qs = q.snapshot();
    expect(qs.seen).toBeInstanceOf(Float64Array);
    expect(QuantileSampler.restore(qs).result(1)).toEqual(
      QuantileSampler.restore(JSON.parse(JSON.stringify(qs))).result(1),
    );
    const st = new UnitStatsAccumulator({ units: 2, min: 1, max: 100, bins: 2 });
    const empty = st.snapshot();
    expect(Array.from(empty.max)).toEqual([0, 0]); // ±Infinity before any row is stored as 0
    st.add(new Float32Array([5, -1, 50, 0]));
    const ss = st.snapshot();
    expect(ss.counts).toBeInstanceOf(Float64Array);
    expect(UnitStatsAccumulator.restore(ss).result(0)).toEqual(
      UnitStatsAccumulator.restore(JSON.parse(JSON.stringify(ss))).result(0),
    );
    expect(UnitStatsAccumulator.restore(ss).result(0)).toMatchObject({ counts: [1, 1], max: 50, min: 5 });
  });
});

describe('shared snapshots (mode "share")', () => {
  const batch = {
    exampleIds: [4, 5],
    activations: new Float32Array([1, 3, 2, 0.5]),
    positionValues: new Float32Array([1, 3, 0, 0, 2, 0.5, 1, 0]),
  };
  const more = {
    exampleIds: [6],
    activations: new Float32Array([9, 9]),
    positionValues: new Float32Array([9, 9, 9, 9]),
  };

  it("snapshotArray: a copy keeps its values, a share is a view of the same memory", () => {
    const source = new Float32Array([1, 2, 3]);
    const copy = snapshotArray(source, "copy"),
      shared = snapshotArray(source.subarray(1), "share");
    source[2] = 7;
    expect(Array.from(copy)).toEqual([1, 2, 3]);
    expect(Array.from(shared)).toEqual([2, 7]);
    expect(shared.buffer).toBe(source.buffer);
    expect(JSON.parse(JSON.stringify({ shared }))).toEqual({ shared: [2, 7] });
  });

  it("a shared snapshot restores to the same results as a copied one, and follows the accumulator", () => {
    const t = new TopKTracker({ units: 2, k: 1, positions: 2 });
    t.add(batch);
    const copied = t.snapshot(),
      shared = t.snapshot("share");
    expect(TopKTracker.restore(shared).result(0)).toEqual(TopKTracker.restore(copied).result(0));
    t.add(more); // feeding again changes a shared snapshot (which is why the pass shares only at its end)
    expect(Array.from(shared.values)).toEqual([9, 9]);
    expect(Array.from(copied.values)).toEqual([2, 3]);

    const q = new QuantileSampler({ units: 2, positions: 2, seed: 3, min: 0.1, max: 10, bins: 4, perBin: 1 });
    q.add(batch);
    expect(QuantileSampler.restore(q.snapshot("share")).result(1)).toEqual(
      QuantileSampler.restore(q.snapshot()).result(1),
    );
    const st = new UnitStatsAccumulator({ units: 2, min: 1, max: 100, bins: 2 });
    st.add(new Float32Array([5, -1, 50, 0]));
    const ss = st.snapshot("share");
    expect(UnitStatsAccumulator.restore(ss).result(0)).toEqual(UnitStatsAccumulator.restore(st.snapshot()).result(0));
    st.add(new Float32Array([5, 0]));
    expect(Array.from(ss.counts)).toEqual([2, 1, 0, 0]);
  });

  it('restore "adopt" takes a snapshot\'s typed arrays as the buffers (no copy); "copy" and number arrays copy', () => {
    const t = new TopKTracker({ units: 2, k: 1, positions: 2 });
    t.add(batch);
    const snap = t.snapshot();
    const adopted = TopKTracker.restore(snap, "adopt");
    expect(bufferOf(adopted.snapshot("share").positionValues)).toBe(bufferOf(snap.positionValues));
    expect(bufferOf(TopKTracker.restore(snap).snapshot("share").positionValues)).not.toBe(
      bufferOf(snap.positionValues),
    );
    expect(adopted.result(0)).toEqual(t.result(0));
    adopted.add(more); // the adopted buffers are fed from now on
    expect(Array.from(snap.values)).toEqual([9, 9]);
    // plain number arrays (a JSON checkpoint) are copied whatever the mode
    expect(TopKTracker.restore(JSON.parse(JSON.stringify(t.snapshot())), "adopt").result(1)).toEqual(t.result(1));

    const q = new QuantileSampler({ units: 2, positions: 2, seed: 3, min: 0.1, max: 10, bins: 4, perBin: 1 });
    q.add(batch);
    const qs = q.snapshot();
    const qa = QuantileSampler.restore(qs, "adopt");
    expect(bufferOf(qa.snapshot("share").positionValues)).toBe(bufferOf(qs.positionValues));
    expect(qa.result(1)).toEqual(q.result(1));

    const st = new UnitStatsAccumulator({ units: 2, min: 1, max: 100, bins: 2 });
    st.add(new Float32Array([5, -1, 50, 0]));
    const ss = st.snapshot();
    const sa = UnitStatsAccumulator.restore(ss, "adopt");
    expect(bufferOf(sa.snapshot("share").counts)).toBe(bufferOf(ss.counts));
    expect(sa.result(0)).toEqual(st.result(0));
    // a typed array of another element type or length is copied, not adopted
    const wrongType = { ...st.snapshot(), counts: Float32Array.from(st.snapshot().counts) };
    const sc = UnitStatsAccumulator.restore(wrongType, "adopt");
    expect(bufferOf(sc.snapshot("share").counts)).not.toBe(bufferOf(wrongType.counts));
    expect(sc.result(0)).toEqual(st.result(0));
  });
});

describe("finiteness checked once per tensor", () => {
  it("checkedFinite skips the scan; without it a NaN still fails with NON_FINITE", () => {
    const t = new TopKTracker({ units: 1, k: 2 });
    let err: unknown;
    try {
      t.add({ exampleIds: [1], activations: new Float32Array([NaN]) });
    } catch (e) {
      err = e;
    }
    expect(isAtlasError(err, "NON_FINITE")).toBe(true);
    expect(t.examplesCount).toBe(0);
    t.add({ exampleIds: [2], activations: new Float32Array([4]), checkedFinite: true });
    expect(t.result(0).map((e) => e.value)).toEqual([4]);
  });

  it("reduceOverPositions: max and mean over valid positions (hand case)", () => {
    // 2 examples × 3 positions × 2 units; example 1 has 2 valid positions
    const v = new Float32Array([1, -1, 4, -2, 2, -3, /* ex 1 */ 5, 1, 7, 3, 100, 100]);
    expect(Array.from(reduceOverPositions(v, 2, 3, 2, "max", [3, 2]))).toEqual([4, -1, 7, 3]);
    expect(Array.from(reduceOverPositions(v, 2, 3, 2, "mean", [3, 2]))).toEqual([7 / 3, -2, 6, 2].map(Math.fround));
  });
});
