// UnitSetState: bounded memory (independent of the number of examples), padding handling, and checkpoint
// round trips (snapshot → compact JSON → restore) that continue exactly like an uninterrupted stream.
import { UnitSetState } from "../src/pass/unit-set-state";
import { HeadState } from "../src/pass/head-state";
import { packCheckpoint, packedBody, unpackCheckpoint } from "../src/run/checkpoint-codec";

/** what a checkpoint stores: JSON text + binary body */
function stored(value: unknown): { json: string; body: Uint8Array } {
  const packed = packCheckpoint(value);
  return { json: JSON.stringify(packed.json), body: packedBody(packed) };
}

const UNITS = 6,
  POSITIONS = 4,
  K = 3;

/** deterministic pseudo-random hook tensor [n × positions × units] for examples start..start+n-1 */
function batch(start: number, n: number): { ids: number[]; values: Float32Array } {
  const values = new Float32Array(n * POSITIONS * UNITS);
  for (let i = 0; i < values.length; i++) {
    const x = Math.sin((start * POSITIONS * UNITS + i) * 12.9898) * 43758.5453;
    values[i] = Math.fround((x - Math.floor(x)) * 4 - 1); // [-1, 3)
  }
  return { ids: Array.from({ length: n }, (_, e) => start + e), values };
}

function feed(state: UnitSetState, from: number, to: number, size = 10) {
  for (let s = from; s < to; s += size) {
    const b = batch(s, Math.min(size, to - s));
    state.add(b.ids, b.values);
  }
}

test("memory is O(units × k × positions): the same after 100 and after 5000 examples", () => {
  const small = UnitSetState.create(UNITS, POSITIONS, K, 1);
  const large = UnitSetState.create(UNITS, POSITIONS, K, 1);
  feed(small, 0, 100);
  feed(large, 0, 5000, 250);
  expect(large.top.examplesCount).toBe(5000);
  expect(large.byteSize()).toBe(small.byteSize());
  const size = (s: UnitSetState) => {
    const c = stored(s.snapshot());
    return c.json.length + c.body.byteLength;
  };
  expect(size(large)).toBeLessThan(size(small) * 1.3); // only counters and reservoir contents differ
});

test("top-k keeps the k largest per-example maxima with their per-position values", () => {
  const st = UnitSetState.create(UNITS, POSITIONS, K, 1);
  feed(st, 0, 50);
  const all = batch(0, 50);
  for (let u = 0; u < UNITS; u++) {
    const maxima = all.ids.map((e) =>
      Math.max(...[0, 1, 2, 3].map((p) => all.values[(e * POSITIONS + p) * UNITS + u])),
    );
    const expected = [...maxima.keys()].sort((a, b) => maxima[b] - maxima[a] || a - b).slice(0, K);
    const top = st.top.result(u);
    expect(top.map((t) => t.exampleId)).toEqual(expected);
    const e = top[0].exampleId;
    expect(Array.from(top[0].positionValues!)).toEqual(
      [0, 1, 2, 3].map((p) => all.values[(e * POSITIONS + p) * UNITS + u]),
    );
  }
  // statistics run over positions: 50 examples × 4 positions
  expect(st.stats.result(0).total).toBe(200);
});

test("padding positions are excluded from stats and zeroed in stored values", () => {
  const st = UnitSetState.create(1, 3, 1, 1);
  st.add([0, 1], Float32Array.from([1, 2, 9, /* ex 1 */ 5, 9, 9]), [2, 1]);
  expect(st.top.result(0).map((t) => [t.exampleId, t.value])).toEqual([[1, 5]]);
  expect(Array.from(st.top.result(0)[0].positionValues!)).toEqual([5, 0, 0]);
  const s = st.stats.result(0);
  expect(s.total).toBe(3);
  expect(s.max).toBe(5);
});

test("snapshot → compact JSON → restore continues exactly like the uninterrupted stream", () => {
  const whole = UnitSetState.create(UNITS, POSITIONS, K, 7);
  feed(whole, 0, 300);
  const first = UnitSetState.create(UNITS, POSITIONS, K, 7);
  feed(first, 0, 120);
  const saved = stored(first.snapshot());
  const resumed = UnitSetState.restore(
    unpackCheckpoint(JSON.parse(saved.json), saved.body) as ReturnType<UnitSetState["snapshot"]>,
  );
  feed(resumed, 120, 300);
  expect(resumed.snapshot()).toEqual(whole.snapshot());
  for (let u = 0; u < UNITS; u++) expect(resumed.quantiles.result(u)).toEqual(whole.quantiles.result(u));
});

test("head state averages per-head statistics over batches, weighted by examples", () => {
  // 2 heads, 2 positions (tokens): head 0 attends to self, head 1 to position 0
  const pattern = (n: number) => {
    const p = new Float32Array(n * 2 * 2 * 2);
    for (let e = 0; e < n; e++) {
      p.set([1, 0, 0, 1], (e * 2 + 0) * 4);
      p.set([1, 0, 1, 0], (e * 2 + 1) * 4);
    }
    return p;
  };
  const hs = HeadState.create(2, 2);
  hs.add([0, 1, 2], pattern(3), { layout: { kind: "tokens" }, clsPositions: [] });
  hs.add([3], pattern(1), { layout: { kind: "tokens" }, clsPositions: [] });
  expect(hs.result(0)).toMatchObject({ toSelf: 1, toNeighbours: 0, entropy: 0, examples: 4 });
  expect(hs.result(1)).toMatchObject({ toSelf: 0.5, toNeighbours: 1, examples: 4 });
  expect(hs.patternsOf(1)[0].pattern).toEqual([1, 0, 1, 0]);
  expect(HeadState.restore(JSON.parse(JSON.stringify(hs.snapshot())), 2, 2).result(1)).toEqual(hs.result(1));
});

/** rows [n × from × width] as [n × to × width], zeros after `from` (what padding a text batch back gives) */
function padRows(values: Float32Array, n: number, from: number, to: number, width: number): Float32Array {
  const out = new Float32Array(n * to * width);
  for (let e = 0; e < n; e++) out.set(values.subarray(e * from * width, (e + 1) * from * width), e * to * width);
  return out;
}

test("a text batch at its longest row (fewer positions) leaves the same state as the batch padded back", () => {
  const P = 6,
    U = 5;
  const trimmed = UnitSetState.create(U, P, 2, 3),
    padded = UnitSetState.create(U, P, 2, 3);
  for (let start = 0; start < 40; start += 4) {
    const L = 1 + (start % 5); // 1..5 of 6 positions; real rows end at or before it
    const valid = [L, Math.max(1, L - 1), 1, L];
    const ids = [start, start + 1, start + 2, start + 3];
    const short = new Float32Array(4 * L * U);
    for (let i = 0; i < short.length; i++) {
      const x = Math.sin((start * 31 + i) * 12.9898) * 43758.5453;
      short[i] = Math.fround((x - Math.floor(x)) * 12 - 2); // [-2, 10)
    }
    padded.add(ids, padRows(short, 4, L, P, U), valid);
    trimmed.add(ids, short.slice(), valid, undefined, L);
  }
  expect(trimmed.snapshot()).toEqual(padded.snapshot());
  const withPositions = trimmed.top.result(0).filter((t) => t.positionValues!.some((v) => v !== 0));
  expect(withPositions.length).toBeGreaterThan(0); // the comparison covers stored per-position values
  const before = trimmed.snapshot();
  expect(() => trimmed.add([99], new Float32Array(7 * U), [1], undefined, 7)).toThrow(
    /at 7 positions per example; this unit set has 6/,
  );
  expect(trimmed.snapshot()).toEqual(before); // nothing fed: not even the statistics
});

test("attention patterns at fewer positions give the same head statistics and stored patterns, padded", () => {
  const H = 2,
    T = 4,
    L = 3;
  const layout = { layout: { kind: "tokens" as const }, clsPositions: [] };
  // causal softmax rows over the first L positions of 2 examples
  const short = new Float32Array(2 * H * L * L);
  for (let row = 0; row < 2 * H * L; row++) {
    const q = row % L;
    let sum = 0;
    for (let k = 0; k <= q; k++) sum += short[row * L + k] = 1 + ((row * 7 + k * 3) % 5);
    for (let k = 0; k <= q; k++) short[row * L + k] /= sum;
  }
  const full = new Float32Array(2 * H * T * T);
  for (let bh = 0; bh < 2 * H; bh++)
    for (let q = 0; q < L; q++) full.set(short.subarray((bh * L + q) * L, (bh * L + q + 1) * L), (bh * T + q) * T);
  const a = HeadState.create(H, T),
    b = HeadState.create(H, T);
  a.add([0, 1], full, layout, [3, 2]);
  b.add([0, 1], short, layout, [3, 2], L);
  expect(b.snapshot()).toEqual(a.snapshot());
  expect(b.patternsOf(0)[0].pattern).toHaveLength(T * T);
  expect(() => b.add([2], new Float32Array(H * 25), layout, [1], 5)).toThrow(/at 5 positions; this hook has 4/);
});
