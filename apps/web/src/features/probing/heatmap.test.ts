// The probing heatmap's pure layout and colours against hand-computed values.
import { cellColour, cellTitle, gainOverChance, heatmapsOf, rowLabel } from "./heatmap";

const cell = (o: Partial<Parameters<typeof cellTitle>[0]> & { hookName: string; family: string }) => ({
  tower: "VISION",
  hookKind: o.hookName.includes("mlp") ? "MLP_POST" : "RESID",
  layer: Number(/blocks\.(\d+)/.exec(o.hookName)![1]),
  dictionary: null,
  accuracy: 0.9,
  chance: 0.25,
  trainCount: 30,
  testCount: 10,
  classes: ["a", "b"],
  pooling: "readout",
  ...o,
});

it("lays out one grid per tower, rows by layer (hook before its SAEs), families in the shapes world's order", () => {
  const cells = [
    cell({ hookName: "vision.blocks.1.hook_resid_post", family: "word" }),
    cell({
      hookName: "vision.blocks.1.hook_resid_post",
      family: "color",
      dictionary: "vision.blocks.1.hook_resid_post.topk",
    }),
    cell({ hookName: "vision.blocks.1.hook_resid_post", family: "color" }),
    cell({ hookName: "vision.blocks.0.mlp.hook_post", family: "shape" }),
    cell({ hookName: "text.blocks.0.hook_resid_post", family: "color", tower: "TEXT" }),
  ];
  const maps = heatmapsOf(cells);
  expect(maps.map((m) => m.tower)).toEqual(["VISION", "TEXT"]);
  expect(maps[0].families).toEqual(["color", "shape", "word"]);
  expect(maps[0].rows.map((r) => r.label)).toEqual(["L0 mlp", "L1 resid", "L1 resid · SAE topk"]);
  expect(maps[0].rows[1].byFamily.word).toBe(cells[0]);
  expect(maps[0].rows[0].byFamily.color).toBeUndefined();
  expect(maps[1].rows.map((r) => r.label)).toEqual(["L0 resid"]);
});

it("names rows and measures the gain over chance", () => {
  expect(rowLabel({ hookKind: "MLP_POST", hookName: "h", layer: 3, dictionary: "other-sae" })).toBe(
    "L3 mlp · SAE other-sae",
  );
  expect(gainOverChance(0.625, 0.25)).toBeCloseTo(0.5, 12);
  expect(gainOverChance(0.25, 0.25)).toBe(0);
  expect(gainOverChance(0.1, 0.6)).toBeCloseTo(-1.25, 12);
  expect(gainOverChance(1, 1)).toBe(0);
});

it("colours white at chance, blue above, red below; the title carries the numbers", () => {
  expect(cellColour(0.25, 0.25)).toBe("hsl(215, 70%, 97%)");
  expect(cellColour(1, 0.25)).toBe("hsl(215, 70%, 45%)");
  expect(cellColour(0.625, 0.25)).toBe("hsl(215, 70%, 71%)");
  expect(cellColour(0.1, 0.6)).toBe("hsl(0, 70%, 67%)");
  const title = cellTitle(cell({ hookName: "vision.blocks.1.hook_resid_post", family: "color", accuracy: 0.625 }));
  expect(title).toContain("held-out accuracy 62.5 % (chance 25.0 %, gain 50.0 %)");
  expect(title).toContain("30 train / 10 held-out examples, 2 classes: a, b");
});
