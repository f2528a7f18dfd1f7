// The per-tower session cache bounded in bytes: its capacity (hand-computed), INFERENCE_SESSION_CACHE_MB, and a
// session evicted while a run still uses it: released only after that run's last batch, so concurrent runs of
// different hook sets on a cache of one session all finish with the same results as on an unbounded cache.
import { createRunner, type Runner } from "../src";
import { DEFAULT_SESSION_CACHE_MB, sessionCacheBytes, sessionCapacity } from "../src/runner/session-capacity";
import { prng, TI, writeFixtureModel } from "./fixtures/tiny-clip";
import { maxAbsDiff } from "./fixtures/reference";

const quiet = () => undefined;

test("capacity: the count limit, the byte bound over the graph's size, and never below one", () => {
  expect(sessionCapacity(8, 4096, 1000)).toBe(4); // 4,096 B hold 4 graphs of 1,000 B
  expect(sessionCapacity(3, 4096, 1000)).toBe(3); // the count limit first
  expect(sessionCapacity(8, 999, 1000)).toBe(1); // a graph larger than the bound still gets one session
  expect(sessionCapacity(8, 4096, 0)).toBe(8);
  // a ViT-L/14 vision graph (1,216,465,407 B) under the default 4,096 MB: 3 sessions
  expect(sessionCapacity(8, DEFAULT_SESSION_CACHE_MB * 1024 * 1024, 1_216_465_407)).toBe(3);
});

test("INFERENCE_SESSION_CACHE_MB sets the bound; a malformed value is a typed error", () => {
  expect(sessionCacheBytes({})).toBe(4096 * 1024 * 1024);
  expect(sessionCacheBytes({ INFERENCE_SESSION_CACHE_MB: "512" })).toBe(512 * 1024 * 1024);
  for (const bad of ["0", "-1", "much"])
    expect(() => sessionCacheBytes({ INFERENCE_SESSION_CACHE_MB: bad })).toThrow(
      expect.objectContaining({ code: "BAD_INPUT" }),
    );
});

describe("a cache of one session under concurrent runs", () => {
  let dir: string;
  let bounded: Runner, unbounded: Runner;
  beforeAll(async () => {
    dir = writeFixtureModel();
    bounded = await createRunner(dir, { logger: quiet, maxSessionBytes: 1 });
    unbounded = await createRunner(dir, { logger: quiet });
  });
  afterAll(async () => {
    await bounded?.close();
    await unbounded?.close();
  });

  test("each run finishes on its own session, evicted or not, with the unbounded cache's results", async () => {
    const B = 24;
    const r = prng(11);
    const pixels = Float32Array.from({ length: B * 3 * TI }, () => r() * 2);
    const sets = [
      ["vision.blocks.0.mlp.hook_post"],
      ["vision.blocks.0.hook_resid_post"],
      ["vision.blocks.0.attn.hook_pattern"],
    ];
    // batches of 1: every run spans many awaits, so each new hook set evicts a session another run is using
    const runs = await Promise.all(
      [...sets, ...sets].map((hooks) => bounded.runPixels(pixels, hooks, { batchSize: 1 })),
    );
    for (const [i, out] of runs.entries()) {
      const hooks = sets[i % sets.length];
      const ref = await unbounded.runPixels(pixels, hooks, { batchSize: 8 });
      expect(maxAbsDiff(out.hooks[hooks[0]].data, ref.hooks[hooks[0]].data)).toBe(0);
      expect(maxAbsDiff(out.embeds.data, ref.embeds.data)).toBe(0);
    }
    // and a hook set whose session was evicted runs again (rebuilt)
    const again = await bounded.runPixels(pixels, sets[0], { batchSize: 4 });
    expect(again.hooks[sets[0][0]].dims).toEqual(runs[0].hooks[sets[0][0]].dims);
  });
});
