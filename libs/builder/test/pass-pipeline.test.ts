// The streaming pass's helpers: its one checkpoint write in flight (errors still reach the build), the per-step
// profile, and NaN detection
// now that a hook tensor is scanned once instead of once per accumulator.
import { isAtlasError } from "@mmatlas/atlas";
import { PassCheckpoints } from "../src/pass/pass-checkpoints";
import { PassProfile } from "../src/pass/pass-profile";
import { UnitSetState } from "../src/pass/unit-set-state";

describe("PassCheckpoints", () => {
  it("runs one write at a time in the background and rethrows its error on settle", async () => {
    const profile = new PassProfile();
    const written: number[][] = [];
    const cp = new PassCheckpoints(profile, (start, end) => written.push([start, end]));
    const order: string[] = [];
    let release!: () => void;
    cp.start(() =>
      new Promise<void>((r) => {
        release = r;
      }).then(() => {
        order.push("written");
      }),
    );
    expect(cp.writing).toBe(true);
    order.push("next batch");
    release();
    await cp.settle();
    expect(order).toEqual(["next batch", "written"]);
    expect(cp.writing).toBe(false);
    expect(written).toHaveLength(1);
    expect(written[0][1]).toBeGreaterThanOrEqual(written[0][0]);
    expect(Object.keys(profile.seconds())).toEqual(expect.arrayContaining(["checkpoint.save", "wait.checkpoint"]));
    cp.start(async () => {
      throw new Error("cancelled");
    });
    expect(() => cp.start(async () => undefined)).toThrow(/not settled/);
    await expect(cp.settle()).rejects.toThrow("cancelled");
    expect(written).toHaveLength(1); // a failed write is not reported as written
    await expect(cp.settle()).resolves.toBeUndefined(); // nothing in flight any more
  });
});

test("PassProfile sums the time of each step over calls", async () => {
  const p = new PassProfile();
  p.add("read", 1500);
  p.add("read", 500);
  expect(p.time("decode", () => 7)).toBe(7);
  expect(await p.timeAsync("inference", async () => "ok")).toBe("ok");
  const s = p.seconds();
  expect(s.read).toBe(2);
  expect(Object.keys(s)).toEqual(["read", "decode", "inference"]);
});

test("a NaN at a real position fails clearly and leaves the state untouched; padding is not scanned", () => {
  const st = UnitSetState.create(2, 2, 1, 1);
  let err: unknown;
  try {
    st.add([0], Float32Array.from([1, 2, NaN, 0]));
  } catch (e) {
    err = e;
  }
  expect(isAtlasError(err, "NON_FINITE")).toBe(true);
  expect((err as Error).message).toMatch(/values\[2\] is NaN \(example 0, position 1, unit 0\)/);
  expect(st.top.examplesCount).toBe(0);
  expect(st.stats.rows).toBe(0);
  // position 1 is padding (valid length 1): its NaN is never stored nor counted
  st.add([3], Float32Array.from([1, 2, NaN, NaN]), [1]);
  expect(st.top.result(0).map((e) => [e.exampleId, e.value, Array.from(e.positionValues!)])).toEqual([[3, 1, [1, 0]]]);
  expect(st.stats.rows).toBe(1);
});
