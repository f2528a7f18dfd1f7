// Shapes-world concept masks: exactly the pixels the renderer draws, one mask per regional concept present.
import { IMAGE_SIZE, generateExample, renderScene, type Scene } from "../src";
import { COLOR_RGB, INK_RGB } from "../src/shapes/vocabulary";
import { exampleConceptMasks, renderSceneLayers, sceneConceptMasks } from "../src/shapes/concept-masks";
import { mixSeed } from "../src/shapes/captions";
import { drawBackground } from "../src/shapes/render";
import { createRng } from "../src/shapes/rng";
import { randomScene } from "../src/shapes/scene";

const N = IMAGE_SIZE * IMAGE_SIZE;
const ones = (m: Uint8Array) => m.reduce((s, v) => s + v, 0);

/** The background the renderer painted before any object of example (seed, index). */
function backgroundOf(seed: number, index: number): Uint8Array {
  const rng = createRng(mixSeed(seed, index));
  randomScene(rng);
  return drawBackground(rng);
}

describe("exampleConceptMasks", () => {
  const seed = 11;
  const indices = Array.from({ length: 200 }, (_, i) => i);

  it("covers exactly the pixels where the rendered image differs from its background", () => {
    const kinds = new Set<string>();
    for (const index of indices) {
      const ex = generateExample(seed, index);
      kinds.add(ex.scene.kind);
      const bg = backgroundOf(seed, index);
      const union = new Uint8Array(N);
      for (const m of exampleConceptMasks(seed, index))
        m.mask.forEach((v, i) => {
          if (v) union[i] = 1;
        });
      for (let i = 0; i < N; i++) {
        const differs =
          ex.pixels[3 * i] !== bg[3 * i] ||
          ex.pixels[3 * i + 1] !== bg[3 * i + 1] ||
          ex.pixels[3 * i + 2] !== bg[3 * i + 2];
        if (differs !== (union[i] === 1))
          throw new Error(`example ${index} pixel ${i}: differs=${differs}, mask=${union[i]}`);
      }
    }
    expect([...kinds].sort()).toEqual(["object", "pair", "word", "word-on-object"]);
  });

  it("gives one mask per regional tag of the scene (all tags but count:*) and the word ink only to word concepts", () => {
    const bad: string[] = [];
    for (const index of indices) {
      const ex = generateExample(seed, index);
      const masks = exampleConceptMasks(seed, index);
      expect(masks.map((m) => m.tag)).toEqual(ex.tags.filter((t) => !t.startsWith("count:")));
      const byTag = new Map(masks.map((m) => [m.tag, m.mask]));
      const ink = byTag.get("typographic");
      if (ex.scene.word) {
        expect(byTag.get(`word:${ex.scene.word}`)).toEqual(ink);
        ink!.forEach((v, i) => {
          if (v && INK_RGB.some((c, ch) => ex.pixels[3 * i + ch] !== c)) bad.push(`${index}: ink ${i}`);
        });
      }
      for (const o of ex.scene.objects) {
        // every pixel of the object's color mask is that color (within the ±15 jitter) and not word ink
        byTag.get(`color:${o.color}`)!.forEach((v, i) => {
          if (!v) return;
          if (COLOR_RGB[o.color].some((c, ch) => Math.abs(ex.pixels[3 * i + ch] - c) > 15))
            bad.push(`${index}: color ${i}`);
          if (ink?.[i]) bad.push(`${index}: ink under ${o.color} ${i}`);
        });
      }
    }
    expect(bad).toEqual([]);
  });

  it("unions the objects of a pair that share a concept and keeps the others apart", () => {
    const pairs = indices.map((i) => generateExample(seed, i)).filter((e) => e.scene.kind === "pair");
    expect(pairs.length).toBeGreaterThan(15);
    for (const ex of pairs) {
      const byTag = new Map(exampleConceptMasks(seed, ex.index).map((m) => [m.tag, m.mask]));
      const [a, b] = ex.scene.objects;
      const left = byTag.get(`color:${a.color}`)!,
        right = byTag.get(`color:${b.color}`)!;
      expect(left.some((v, i) => v === 1 && right[i] === 1)).toBe(false);
      expect(ones(byTag.get("size:small")!)).toBe(ones(left) + ones(right));
      expect(byTag.get("position:left")).toEqual(left);
      if (a.shape === b.shape) expect(ones(byTag.get(`shape:${a.shape}`)!)).toBe(ones(left) + ones(right));
    }
  });
});

describe("sceneConceptMasks", () => {
  it("matches a hand-placed square: r = 5 at (16, 16) covers pixels 12..19 × 12..19", () => {
    const scene: Scene = {
      kind: "object",
      objects: [{ color: "blue", shape: "square", size: "small", position: "center", cx: 16, cy: 16, r: 5 }],
    };
    const layers = renderSceneLayers(scene, createRng(1));
    const masks = sceneConceptMasks(scene, layers);
    expect(masks.map((m) => m.tag)).toEqual(["color:blue", "position:center", "shape:square", "size:small"]);
    expect(masks.map((m) => m.family)).toEqual(["color", "position", "shape", "size"]);
    const expected = new Uint8Array(N);
    for (let y = 12; y <= 19; y++) for (let x = 12; x <= 19; x++) expected[y * IMAGE_SIZE + x] = 1;
    for (const m of masks) expect(m.mask).toEqual(expected);
    // renderScene is renderSceneLayers' pixels for the same random stream
    expect(Buffer.from(renderScene(scene, createRng(1))).equals(Buffer.from(layers.pixels))).toBe(true);
  });

  it("hides the shape under the word ink and leaves out a concept whose pixels are all hidden", () => {
    const scene: Scene = {
      kind: "word-on-object",
      objects: [{ color: "red", shape: "square", size: "large", position: "center", cx: 16, cy: 16, r: 9 }],
      word: "blue",
    };
    const layers = renderSceneLayers(scene, createRng(2));
    const byTag = new Map(sceneConceptMasks(scene, layers).map((m) => [m.tag, m.mask]));
    const shape = byTag.get("shape:square")!,
      ink = byTag.get("word:blue")!;
    const painted = new Set(layers.objectPixels[0]);
    const hidden = layers.wordPixels.filter((i) => painted.has(i)).length;
    expect(hidden).toBeGreaterThan(0);
    expect(ones(shape)).toBe(painted.size - hidden);
    expect(ones(ink)).toBe(layers.wordPixels.length);

    const covered: Scene = { ...scene, objects: [{ ...scene.objects[0], r: 0.6 }] };
    const coveredLayers = { ...layers, objectPixels: [[layers.wordPixels[0]]] };
    expect(sceneConceptMasks(covered, coveredLayers).map((m) => m.tag)).toEqual(["typographic", "word:blue"]);
  });
});
