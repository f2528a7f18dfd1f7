// The pass's memory plan: accumulator bytes per unit set (hand-computed, and equal to what UnitSetState allocates),
// batch tensors of the largest tower, the budget from BUILD_MEMORY_LIMIT_MB, and the batch size a build runs at:
// the one asked for when it fits, the largest that fits when none was asked for, else a typed error with remedies.
import { totalmem } from "node:os";
import { isAppError } from "@mmatlas/errors";
import { UnitSetState } from "../src/pass/unit-set-state";
import {
  BATCHES_IN_MEMORY,
  buildMemoryBudget,
  fitBatchSize,
  largestFittingBatch,
  modelMemoryBytes,
  passMemory,
  setOutputBytesPerExample,
  setStateBytes,
  type MemorySet,
} from "../src/plan/memory-plan";

const neuron = (key: string, tower: "VISION" | "TEXT", width: number, positions: number): MemorySet => ({
  key,
  kind: "NEURON",
  tower,
  width,
  units: width,
  positions,
});

test("a neuron set's state, hand-computed: 10 units, 5 positions, k 2", () => {
  // top-k 840 + quantiles (25 bins × 2) 20,080 + histograms (40 bins) 3,760: see byte-sizes.test.ts in @mmatlas/atlas
  expect(setStateBytes({ kind: "NEURON", units: 10, positions: 5 }, 2)).toBe(840 + 20080 + 3760);
  expect(setStateBytes({ kind: "NEURON", units: 10, positions: 5 }, 2)).toBe(
    UnitSetState.create(10, 5, 2, 0).byteSize(),
  );
});

test("ViT-B/32's 24 MLP hooks at k 20 need 1,155,809,280 bytes: the checkpoint body bench:large measured", () => {
  // per unit: top-k 4 + 20 × 20 + 20 × 4·P, quantiles 25 × 8 + 50 × (16 + 4·P) + 8, histograms 47 × 8 = 1,788 + 280·P
  const sets = [
    ...Array.from({ length: 12 }, (_, l) => neuron(`hook:vision.blocks.${l}.mlp.hook_post`, "VISION", 3072, 50)),
    ...Array.from({ length: 12 }, (_, l) => neuron(`hook:text.blocks.${l}.mlp.hook_post`, "TEXT", 2048, 77)),
  ];
  const m = passMemory(sets, 20, 16);
  expect(m.stateBytes).toBe(12 * 3072 * (1788 + 280 * 50) + 12 * 2048 * (1788 + 280 * 77));
  expect(m.stateBytes).toBe(1_155_809_280);
  // the larger tower's outputs: text 12 × 77 × 2,048 × 4 = 7,569,408 B per example > vision 12 × 50 × 3,072 × 4
  expect(m.batchBytes).toBe(16 * BATCHES_IN_MEMORY * 7_569_408);
  expect(m.totalBytes).toBe(2 * 1_155_809_280 + 16 * 3 * 7_569_408);
});

test("the model: each graph held once plus the sessions its cache may keep, each at the graph's size", () => {
  // 1,000 B under a 4,000 B cache: 4 sessions (1 + 4 graphs); 3,000 B: 1 session (1 + 1); 0 B counts nothing
  expect(modelMemoryBytes([1000, 3000, 0], 4000)).toBe(5 * 1000 + 2 * 3000);
  // a ViT-L/14's vision graph (1,216,465,407 B) keeps 3 sessions under the default 4,096 MB; its text graph
  // (494,933,306 B) 8
  expect(modelMemoryBytes([1_216_465_407, 494_933_306])).toBe(4 * 1_216_465_407 + 9 * 494_933_306);
  const m = passMemory([neuron("hook:a", "VISION", 10, 5)], 2, 3, 777);
  expect(m.modelBytes).toBe(777);
  expect(m.totalBytes).toBe(2 * 24680 + 3 * BATCHES_IN_MEMORY * 200 + 777);
});

test("heads keep 3 stored patterns; their outputs are [heads × positions × positions]", () => {
  const heads = { kind: "ATTENTION_HEAD" as const, units: 4, width: 4, positions: 3 };
  expect(setStateBytes(heads, 20)).toBe(4 * 3 * 9 * 8);
  expect(setOutputBytesPerExample(heads)).toBe(4 * 9 * 4);
  expect(setOutputBytesPerExample({ kind: "SAE_FEATURE", width: 100, positions: 7 })).toBe(2800);
});

describe("the batch size a build runs at", () => {
  // one set: state 2 × 24,680 = 49,360 B; tensors 10 × 5 × 4 = 200 B per example, 600 B per example in memory
  const sets = [neuron("hook:a", "VISION", 10, 5)];
  const fixed = 2 * 24680;
  const params = (batchSize: number, batchSizeChosen: boolean) => ({ k: 2, batchSize, batchSizeChosen });

  test("largestFittingBatch, hand-computed", () => {
    expect(largestFittingBatch(sets, 2, fixed + 600 * 7 + 599, 128)).toBe(7);
    expect(largestFittingBatch(sets, 2, fixed + 600 * 7 + 599, 128, 1200)).toBe(5); // the model takes 2 examples' room
    expect(largestFittingBatch(sets, 2, fixed + 600 * 500, 128)).toBe(128);
    expect(largestFittingBatch(sets, 2, fixed + 599, 128)).toBeNull();
  });

  test("asked for and fits: kept; not asked for and too big: lowered to the largest that fits", () => {
    expect(fitBatchSize(sets, params(64, true), fixed + 600 * 64)).toBe(64);
    expect(fitBatchSize(sets, params(128, false), fixed + 600 * 7 + 599)).toBe(7);
  });

  test("asked for and too big: a typed error that names the batch size that fits", () => {
    const err = (() => {
      try {
        fitBatchSize(sets, params(64, true), fixed + 600 * 7);
      } catch (e) {
        return e;
      }
    })();
    expect(isAppError(err) && err.code).toBe("BAD_USER_INPUT");
    expect((err as Error).message).toMatch(/needs more memory than it may use/);
    expect((err as Error).message).toMatch(/--batch-size 7/);
    expect((err as Error).message).toMatch(/hook:a 0\.00 GB/);
  });

  test("the states alone too big: refused whatever the batch, naming fewer hooks, k and maxUnits", () => {
    expect(() => fitBatchSize(sets, params(128, false), fixed)).toThrow(
      /fewer hooks or SAEs per build; maxUnits to study only each hook's first units/,
    );
    expect(() => fitBatchSize(sets, { ...params(128, false), k: 20 }, fixed)).toThrow(/a smaller k \(now 20\)/);
  });
});

test("the budget: BUILD_MEMORY_LIMIT_MB when set (a bad value is a typed error), else at most the machine's memory", () => {
  expect(buildMemoryBudget({ BUILD_MEMORY_LIMIT_MB: "1.5" })).toBe(1.5 * 1024 * 1024);
  for (const bad of ["0", "-3", "lots"]) {
    expect(() => buildMemoryBudget({ BUILD_MEMORY_LIMIT_MB: bad })).toThrow(/BUILD_MEMORY_LIMIT_MB must be a positive/);
  }
  const fromMachine = buildMemoryBudget({});
  expect(fromMachine).toBeGreaterThan(0);
  expect(fromMachine).toBeLessThanOrEqual(totalmem());
});
