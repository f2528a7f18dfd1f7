// AccumulatorPool: unit-set states fed in worker threads equal the same states fed on this thread (mid-pass copies,
// and the live states collected at the end), a worker's NON_FINITE keeps its code, tensors are transferred (copied
// when another set reads the same buffer), states from a checkpoint move in, and BUILD_ACCUMULATOR_WORKERS is
// validated.
import { isAtlasError, SeededRng } from "@mmatlas/atlas";
import {
  AUTO_WORKERS_MAX,
  AUTO_WORKERS_MIN_VALUES,
  AccumulatorPool,
  accumulatorWorkers,
  accumulatorWorkersRequested,
} from "../src/pass/accumulator-pool";
import { HeadState, type HeadLayout } from "../src/pass/head-state";
import type { SetState } from "../src/pass/run-batch";
import { UnitSetState } from "../src/pass/unit-set-state";

function unitsOf(st: SetState | undefined): UnitSetState {
  if (st?.kind !== "units") throw new Error(`not a unit set: ${st?.kind}`);
  return st.state;
}

jest.setTimeout(60_000);

const SETS = [
  { key: "a", units: 40, positions: 5 },
  { key: "b", units: 7, positions: 3 },
  { key: "c", units: 64, positions: 1 },
];

/** uniform [0, 1) numbers from the atlas's seeded generator */
function uniform(seed: number): () => number {
  const rng = new SeededRng(seed);
  return () => rng.next();
}

/** a batch of n examples for a set: sparse-ish values with negatives, and valid lengths when positions > 1 */
function batch(set: { units: number; positions: number }, n: number, r: () => number, first: number) {
  const values = Float32Array.from({ length: n * set.positions * set.units }, () => (r() < 0.5 ? 0 : (r() - 0.3) * 10));
  const valid = set.positions > 1 ? Array.from({ length: n }, () => 1 + Math.floor(r() * set.positions)) : undefined;
  return { ids: Array.from({ length: n }, (_, i) => first + i), values, valid };
}

test("states fed in 2 workers equal states fed here, mid-pass and at the end", async () => {
  const local = new Map(SETS.map((s, i) => [s.key, UnitSetState.create(s.units, s.positions, 4, 11 + i)]));
  const pool = await AccumulatorPool.start(
    2,
    SETS.map((s, i) => ({ ...s, kind: "units" as const, start: { k: 4, seed: 11 + i } })),
  );
  expect(pool.size).toBe(2);
  const r = uniform(5);
  try {
    for (let b = 0; b < 6; b++) {
      await pool.settle();
      for (const s of SETS) {
        const x = batch(s, 9, r, b * 9);
        local.get(s.key)!.add(x.ids, x.values.slice(), x.valid);
        pool.add(s.key, x.ids, x.values, { valid: x.valid });
        expect(x.values.length).toBe(0); // transferred, not copied
      }
      if (b === 2) {
        const mid = await pool.snapshots();
        for (const s of SETS) expect(mid[s.key]).toEqual({ kind: "units", snapshot: local.get(s.key)!.snapshot() });
      }
    }
    const back = await pool.collect();
    expect([...back.keys()].sort()).toEqual(["a", "b", "c"]);
    for (const s of SETS) expect(unitsOf(back.get(s.key)).snapshot()).toEqual(local.get(s.key)!.snapshot());
  } finally {
    await pool.close();
  }
});

test("a second set fed from the same buffer gets a copy; a restored state moves into its worker", async () => {
  const restored = UnitSetState.create(7, 3, 4, 2);
  const r = uniform(9);
  const first = batch(SETS[1], 5, r, 0);
  restored.add(first.ids, first.values.slice(), first.valid);
  const reference = UnitSetState.restore(restored.snapshot());
  const twin = UnitSetState.create(7, 3, 4, 3);
  const pool = await AccumulatorPool.start(1, [
    { key: "b", kind: "units", units: 7, positions: 3, start: { restore: { kind: "units", state: restored } } },
    { key: "twin", kind: "units", units: 7, positions: 3, start: { k: 4, seed: 3 } },
  ]);
  try {
    const x = batch(SETS[1], 6, r, 10);
    reference.add(x.ids, x.values.slice(), x.valid);
    twin.add(x.ids, x.values.slice(), x.valid);
    pool.add("twin", x.ids, x.values, { valid: x.valid, transfer: false }); // another set reads this buffer next: a copy goes
    expect(x.values.length).toBe(6 * 3 * 7);
    pool.add("b", x.ids, x.values.subarray(0, 6 * 3 * 7), { valid: x.valid }); // a view of the whole buffer: transferred
    expect(x.values.length).toBe(0);
    const back = await pool.collect();
    expect(unitsOf(back.get("b")).snapshot()).toEqual(reference.snapshot());
    expect(unitsOf(back.get("twin")).snapshot()).toEqual(twin.snapshot());
  } finally {
    await pool.close();
  }
});

test("attention heads fed in a worker equal heads fed here, from fresh and from a checkpoint", async () => {
  const H = 2,
    T = 5; // a CLS position + a 2 × 2 grid
  const layout: HeadLayout = { layout: { kind: "grid", rows: 2, cols: 2, firstPatch: 1 }, clsPositions: [0] };
  const r = uniform(21);
  /** n examples of softmax rows [n × H × T × T] */
  const patterns = (n: number) => {
    const p = new Float32Array(n * H * T * T);
    for (let row = 0; row < n * H * T; row++) {
      let sum = 0;
      for (let j = 0; j < T; j++) sum += p[row * T + j] = r() + 0.01;
      for (let j = 0; j < T; j++) p[row * T + j] /= sum;
    }
    return p;
  };
  const local = HeadState.create(H, T);
  const first = patterns(4);
  local.add([0, 1, 2, 3], first.slice(), layout);
  const fromCheckpoint = HeadState.restore(local.snapshot(), H, T);
  const pool = await AccumulatorPool.start(2, [
    { key: "fresh", kind: "heads", units: H, positions: T, start: { k: 0, seed: 0 } },
    {
      key: "resumed",
      kind: "heads",
      units: H,
      positions: T,
      start: { restore: { kind: "heads", state: fromCheckpoint } },
    },
  ]);
  const fresh = HeadState.create(H, T);
  fresh.add([0, 1, 2, 3], first.slice(), layout);
  pool.add("fresh", [0, 1, 2, 3], first.slice(), { layout });
  try {
    const next = patterns(6);
    for (const st of [local, fresh]) st.add([4, 5, 6, 7, 8, 9], next.slice(), layout);
    pool.add("fresh", [4, 5, 6, 7, 8, 9], next, { transfer: false, layout });
    pool.add("resumed", [4, 5, 6, 7, 8, 9], next, { layout });
    expect((await pool.snapshots()).resumed).toEqual({ kind: "heads", snapshot: local.snapshot() });
    const back = await pool.collect();
    for (const [key, want] of [
      ["fresh", fresh],
      ["resumed", local],
    ] as const) {
      const st = back.get(key);
      expect(st?.kind).toBe("heads");
      expect((st!.state as HeadState).snapshot()).toEqual(want.snapshot());
    }
    expect(local.snapshot().examples).toBe(10);
  } finally {
    await pool.close();
  }
});

test("a NaN at a real position rejects settle() with NON_FINITE, as on this thread", async () => {
  const pool = await AccumulatorPool.start(1, [
    { key: "a", kind: "units", units: 2, positions: 2, start: { k: 2, seed: 1 } },
  ]);
  try {
    pool.add("a", [0], Float32Array.from([1, 2, NaN, 0]));
    let err: unknown;
    await pool.settle().catch((e: unknown) => (err = e));
    expect(isAtlasError(err, "NON_FINITE")).toBe(true);
    expect((err as Error).message).toMatch(/values\[2\] is NaN \(example 0, position 1, unit 0\)/);
  } finally {
    await pool.close();
  }
  // after close, calls reject instead of hanging
  expect(() => pool.add("zzz", [0], new Float32Array(4))).toThrow(/no accumulator worker owns zzz/);
});

test("BUILD_ACCUMULATOR_WORKERS: auto (unset, empty) starts workers for real-size sets only; N is N; junk is refused", () => {
  const big = AUTO_WORKERS_MIN_VALUES,
    small = AUTO_WORKERS_MIN_VALUES - 1;
  for (const env of [{}, { BUILD_ACCUMULATOR_WORKERS: "" }, { BUILD_ACCUMULATOR_WORKERS: "auto" }]) {
    expect(accumulatorWorkers(small, 16, env)).toBe(0);
    expect(accumulatorWorkers(big, 2, env)).toBe(2);
    expect(accumulatorWorkers(big, 1, env)).toBe(1);
    expect(accumulatorWorkers(big, 64, env)).toBe(AUTO_WORKERS_MAX);
  }
  expect(accumulatorWorkers(small, 2, { BUILD_ACCUMULATOR_WORKERS: "3" })).toBe(3);
  // only an explicit number makes a build fail when workers cannot start ("auto" falls back to the main thread)
  expect(
    [{}, { BUILD_ACCUMULATOR_WORKERS: "auto" }, { BUILD_ACCUMULATOR_WORKERS: "2" }].map((env) =>
      accumulatorWorkersRequested(env),
    ),
  ).toEqual([false, false, true]);
  expect(accumulatorWorkers(big, 2, { BUILD_ACCUMULATOR_WORKERS: "0" })).toBe(0);
  for (const bad of ["-1", "1.5", "two", "65"])
    expect(() => accumulatorWorkers(big, 2, { BUILD_ACCUMULATOR_WORKERS: bad })).toThrow(
      /BUILD_ACCUMULATOR_WORKERS must be "auto" or an integer/,
    );
});
