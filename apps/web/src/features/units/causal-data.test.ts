// causalRows: merges ablate/steer deltas per concept, sorted by ablation delta; ignores malformed data.
import { causalRows } from "./causal-data";

test("merges and sorts by ablation delta", () => {
  const rows = causalRows({
    ablate: {
      entries: [
        { concept: "red", delta: -0.5 },
        { concept: "blue", delta: 0.1 },
      ],
    },
    steer: {
      entries: [
        { concept: "blue", delta: 0.3 },
        { concept: "green", delta: 0.2 },
      ],
    },
  });
  expect(rows).toEqual([
    { concept: "red", ablate: -0.5, steer: null },
    { concept: "green", ablate: null, steer: 0.2 },
    { concept: "blue", ablate: 0.1, steer: 0.3 },
  ]);
});

test("no or malformed data gives no rows", () => {
  expect(causalRows(null)).toEqual([]);
  expect(causalRows({ ablate: { entries: "x" } })).toEqual([]);
  expect(causalRows({ ablate: { entries: [{ concept: 1, delta: 2 }] } })).toEqual([]);
});
