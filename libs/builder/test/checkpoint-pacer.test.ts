// CheckpointPacer: cheap checkpoints follow `every`; an expensive one spaces the next so writing stays ≤ share; none
// before firstAfterMs of pass, nor before an expected first cost allows.
import { CheckpointPacer } from "../src/run/checkpoint-pacer";

test("cheap checkpoints: every `every` batches", () => {
  const p = new CheckpointPacer({ every: 2 }, 0);
  expect(p.due(1, 10)).toBe(false);
  expect(p.due(2, 10)).toBe(true);
  p.record(10, 10);
  expect(p.due(4, 11)).toBe(true);
});

test("a 1 s checkpoint at share 0.1 waits 9 s before the next", () => {
  const p = new CheckpointPacer({ every: 1, share: 0.1 }, 0);
  p.record(1000, 2000); // took 1 s, ended at t = 2 s
  expect(p.due(5, 10_999)).toBe(false); // 8.999 s after
  expect(p.due(6, 11_000)).toBe(true); // 9 s after: 1 s of 10 s writing = 0.1
  p.record(11_000, 11_500); // 0.5 s → next after 4.5 s
  expect(p.due(7, 15_999)).toBe(false);
  expect(p.due(8, 16_000)).toBe(true);
});

test("no checkpoint before firstAfterMs of pass; then every `every` batches", () => {
  const p = new CheckpointPacer({ every: 1, firstAfterMs: 20_000 }, 1000);
  expect(p.due(1, 1001)).toBe(false);
  expect(p.due(5, 20_999)).toBe(false); // 19.999 s into the pass
  expect(p.due(6, 21_000)).toBe(true);
  p.record(21_000, 21_000);
  expect(p.due(7, 21_001)).toBe(true);
});

test("default share 0.05: a 1 s checkpoint waits 19 s before the next", () => {
  const p = new CheckpointPacer({ every: 1 }, 0);
  expect(p.due(1, 0)).toBe(true); // firstAfterMs defaults to 0
  p.record(0, 1000);
  expect(p.due(2, 19_999)).toBe(false);
  expect(p.due(3, 20_000)).toBe(true);
});

test("an expected first cost spaces the first checkpoint too: 8 s expected at share 0.05 → not before 152 s", () => {
  const p = new CheckpointPacer({ every: 1, firstAfterMs: 20_000, expectedCostMs: 8000 }, 1000);
  expect(p.due(10, 21_000)).toBe(false); // firstAfterMs has passed, but 8 s · 0.95 / 0.05 = 152 s have not
  expect(p.due(99, 152_999)).toBe(false);
  expect(p.due(100, 153_000)).toBe(true);
  p.record(153_000, 155_000); // it took 2 s: the next waits 38 s
  expect(p.due(101, 192_999)).toBe(false);
  expect(p.due(102, 193_000)).toBe(true);
});
