import { isAtlasError, TopKTracker } from "../src";

describe("TopKTracker", () => {
  // Hand case: 2 units, k = 2. Unit 0 sees 10:1, 11:3, 12:3, 13:2 → (11,3), (12,3) (tie: smaller id first).
  // Unit 1 sees 10:5, 11:5, 12:0, 13:7 → (13,7), (10,5) (10 beats 11 on the tie).
  const batchA = { exampleIds: [10, 11], activations: new Float32Array([1, 5, 3, 5]) };
  const batchB = { exampleIds: [12, 13], activations: new Float32Array([3, 0, 2, 7]) };

  it("keeps the k largest per unit, sorted descending, ties by smaller example id", () => {
    const t = new TopKTracker({ units: 2, k: 2 });
    t.add(batchA);
    t.add(batchB);
    expect(t.result(0)).toEqual([
      { exampleId: 11, value: 3 },
      { exampleId: 12, value: 3 },
    ]);
    expect(t.result(1)).toEqual([
      { exampleId: 13, value: 7 },
      { exampleId: 10, value: 5 },
    ]);
    expect(t.examplesCount).toBe(4);
  });

  it("gives the same result whatever the feed order and batch boundaries", () => {
    const t = new TopKTracker({ units: 2, k: 2 });
    t.add({ exampleIds: [13], activations: new Float32Array([2, 7]) });
    t.add({ exampleIds: [12, 11, 10], activations: new Float32Array([3, 0, 3, 5, 1, 5]) });
    expect(t.result(0)).toEqual([
      { exampleId: 11, value: 3 },
      { exampleId: 12, value: 3 },
    ]);
    expect(t.result(1)).toEqual([
      { exampleId: 13, value: 7 },
      { exampleId: 10, value: 5 },
    ]);
  });

  it("returns fewer than k entries when fewer examples were seen", () => {
    const t = new TopKTracker({ units: 1, k: 3 });
    t.add({ exampleIds: [4], activations: new Float32Array([-0.5]) });
    expect(t.result(0)).toEqual([{ exampleId: 4, value: -0.5 }]);
  });

  it("keeps each entry's per-position values with it", () => {
    // positions = 2, layout [example][position][unit]; unit 0 of example 1 has positions (0.25, 4)
    const t = new TopKTracker({ units: 2, k: 1, positions: 2 });
    t.add({
      exampleIds: [0, 1],
      activations: new Float32Array([2, 1, 4, 0.5]),
      positionValues: new Float32Array([2, 1, 0, 0, /* ex1 */ 0.25, 0.5, 4, 0]),
    });
    t.add({
      exampleIds: [2],
      activations: new Float32Array([3, 6]),
      positionValues: new Float32Array([3, 6, 1, 5]),
    });
    const [u0] = t.result(0);
    expect(u0.exampleId).toBe(1);
    expect(Array.from(u0.positionValues!)).toEqual([0.25, 4]);
    const [u1] = t.result(1);
    expect(u1.exampleId).toBe(2);
    expect(Array.from(u1.positionValues!)).toEqual([6, 5]);
  });

  it("takes per-position values at fewer positions (positionStride): zeros after them, also in a reused slot", () => {
    // positions = 3, stride 2: unit 0 of example 0 has (1, 2), of example 1 (7, 9); k = 1 reuses the slot
    const t = new TopKTracker({ units: 1, k: 1, positions: 3 });
    t.add({
      exampleIds: [0],
      activations: new Float32Array([5]),
      positionValues: new Float32Array([1, 5, 8]),
    });
    expect(Array.from(t.result(0)[0].positionValues!)).toEqual([1, 5, 8]);
    t.add({
      exampleIds: [1, 2],
      activations: new Float32Array([9, 2]),
      positionValues: new Float32Array([7, 9, /* ex 2 */ 2, 1]),
      positionStride: 2,
    });
    expect(t.result(0)).toEqual([{ exampleId: 1, value: 9, positionValues: Float32Array.from([7, 9, 0]) }]);
    const bad = { exampleIds: [3], activations: new Float32Array([1]), positionValues: new Float32Array(4) };
    expect(() => t.add({ ...bad, positionStride: 4 })).toThrow(/positionStride must be an integer in \[1, 3\]/);
    expect(() => t.add({ ...bad, positionStride: 2 })).toThrow(/positionValues has length 4, expected 2/);
  });

  it("stays bounded in memory over many batches and agrees with a full sort", () => {
    const units = 6,
      k = 5,
      batch = 64,
      batches = 300;
    const t = new TopKTracker({ units, k, positions: 3 });
    const bytes = t.byteSize();
    expect(bytes).toBeLessThan(units * k * 100);
    const all: { id: number; v: number }[][] = Array.from({ length: units }, () => []);
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let b = 0; b < batches; b++) {
      const ids = Array.from({ length: batch }, (_, i) => b * batch + i);
      const acts = new Float32Array(batch * units);
      // coarse values (multiples of 1/8) so that ties happen often
      for (let i = 0; i < acts.length; i++) acts[i] = Math.floor(rand() * 80) / 8;
      const pos = new Float32Array(batch * 3 * units);
      t.add({ exampleIds: ids, activations: acts, positionValues: pos });
      for (let e = 0; e < batch; e++)
        for (let u = 0; u < units; u++) all[u].push({ id: ids[e], v: acts[e * units + u] });
      expect(t.storedEntries()).toBeLessThanOrEqual(units * k);
      expect(t.byteSize()).toBe(bytes);
    }
    expect(t.examplesCount).toBe(batch * batches);
    for (let u = 0; u < units; u++) {
      const expected = all[u].sort((a, b) => b.v - a.v || a.id - b.id).slice(0, k);
      expect(t.result(u).map((e) => [e.exampleId, e.value])).toEqual(expected.map((e) => [e.id, e.v]));
    }
  });

  it("resumes from a JSON snapshot exactly", () => {
    const t = new TopKTracker({ units: 2, k: 2, positions: 1 });
    t.add({ ...batchA, positionValues: new Float32Array([1, 5, 3, 5]) });
    const restored = TopKTracker.restore(JSON.parse(JSON.stringify(t.snapshot())));
    restored.add({ ...batchB, positionValues: new Float32Array([3, 0, 2, 7]) });
    expect(restored.result(0).map((e) => [e.exampleId, e.value, e.positionValues![0]])).toEqual([
      [11, 3, 3],
      [12, 3, 3],
    ]);
    expect(restored.result(1).map((e) => [e.exampleId, e.value, e.positionValues![0]])).toEqual([
      [13, 7, 7],
      [10, 5, 5],
    ]);
    expect(restored.examplesCount).toBe(4);
  });

  it("rejects bad input with typed errors", () => {
    const t = new TopKTracker({ units: 2 });
    const code = (f: () => void) => {
      try {
        f();
      } catch (e) {
        return isAtlasError(e) ? e.code : "other";
      }
      return "none";
    };
    expect(code(() => t.add({ exampleIds: [1], activations: new Float32Array(3) }))).toBe("SHAPE_MISMATCH");
    expect(code(() => t.add({ exampleIds: [1], activations: new Float32Array([0, NaN]) }))).toBe("NON_FINITE");
    expect(code(() => t.add({ exampleIds: [1.5], activations: new Float32Array(2) }))).toBe("BAD_INPUT");
    expect(
      code(() =>
        new TopKTracker({ units: 2, positions: 2 }).add({ exampleIds: [1], activations: new Float32Array(2) }),
      ),
    ).toBe("BAD_INPUT");
    expect(code(() => new TopKTracker({ units: 0 }))).toBe("BAD_OPTION");
    expect(code(() => t.result(2))).toBe("BAD_INPUT");
    expect(code(() => TopKTracker.restore({ ...t.snapshot(), values: [1] }))).toBe("BAD_SNAPSHOT");
    expect(t.examplesCount).toBe(0);
  });
});
