// Probe labels of shapes-world scenes: vocabulary indices per family, −1 when absent or ambiguous.
import { COLORS, POSITIONS, SHAPES, WORDS, generateShapesWorld, type Scene } from "../src";
import { probeLabelVectors, sceneProbeLabels } from "../src/shapes/probe-labels";

const obj = (color: "red" | "blue", shape: "circle" | "cross", position: "left" | "right" | "center") => ({
  color,
  shape,
  size: "small" as const,
  position,
  cx: 16,
  cy: 16,
  r: 5,
});

describe("sceneProbeLabels", () => {
  it("labels a single object by its values' vocabulary indices and has no word", () => {
    const scene: Scene = { kind: "object", objects: [obj("blue", "cross", "center")] };
    expect(sceneProbeLabels(scene)).toEqual({
      color: COLORS.indexOf("blue"),
      shape: SHAPES.indexOf("cross"),
      size: 0,
      position: POSITIONS.indexOf("center"),
      word: -1,
    });
  });

  it("leaves out families whose values differ across a pair and keeps the shared ones", () => {
    const scene: Scene = { kind: "pair", objects: [obj("red", "circle", "left"), obj("blue", "circle", "right")] };
    expect(sceneProbeLabels(scene)).toEqual({
      color: -1,
      shape: SHAPES.indexOf("circle"),
      size: 0,
      position: -1,
      word: -1,
    });
  });

  it("labels the word of typographic scenes and nothing else when there is no object", () => {
    expect(sceneProbeLabels({ kind: "word", objects: [], word: "yellow" })).toEqual({
      color: -1,
      shape: -1,
      size: -1,
      position: -1,
      word: WORDS.indexOf("yellow"),
    });
  });

  it("builds one Int32Array per family that agrees with the example tags", () => {
    const ex = generateShapesWorld({ seed: 2, count: 200 });
    const v = probeLabelVectors(ex.map((e) => e.scene));
    ex.forEach((e, i) => {
      if (v.color[i] >= 0) expect(e.tags).toContain(`color:${COLORS[v.color[i]]}`);
      if (v.word[i] >= 0) expect(e.tags).toContain(`word:${WORDS[v.word[i]]}`);
      expect(v.word[i] >= 0).toBe(e.scene.word !== undefined);
      expect(v.color[i] >= 0).toBe(e.scene.kind === "object" || e.scene.kind === "word-on-object");
    });
  });
});
