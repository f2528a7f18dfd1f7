// Per-pixel ground truth of the shapes world: renderSceneLayers draws a scene exactly as renderScene does
// (renderScene is defined through it) and also returns which pixels each object and the word ink painted;
// sceneConceptMasks turns that into one binary mask per concept present, for Network Dissection.
//
// Masks hold the VISIBLE pixels of a concept: a shape's pixels overwritten by word ink belong to the word
// ("typographic", "word:<w>"), not to the shape. Object concepts (color, shape, size, position) share the
// object's visible pixels; with two objects a concept's mask is the union of the objects that carry it.
// Image-level concepts (count:<n>) have no region and get no mask.
import { textWidth } from "./font";
import { mixSeed } from "./captions";
import { drawBackground, drawShape, drawWord, IMAGE_SIZE, type RgbImage } from "./render";
import { createRng, uniform, type Rng } from "./rng";
import { DEFAULT_KIND_WEIGHTS, randomScene, type KindWeights, type Scene } from "./scene";
import {
  COLOR_RGB,
  INK_RGB,
  TYPOGRAPHIC_TAG,
  colorTag,
  positionTag,
  shapeTag,
  sizeTag,
  wordTag,
  type ConceptFamily,
} from "./vocabulary";

/** A rendered scene plus the pixel indices (y · IMAGE_SIZE + x) each layer painted, in drawing order. */
export interface RenderedLayers {
  pixels: RgbImage;
  /** pixels painted by scene.objects[i] (later layers may paint over them) */
  objectPixels: number[][];
  /** pixels painted by the word ink (empty without a word) */
  wordPixels: number[];
}

/** A binary mask [IMAGE_SIZE × IMAGE_SIZE] row-major, 1 where the concept is visible. */
export interface ConceptMask {
  tag: string;
  family: ConceptFamily;
  mask: Uint8Array;
}

/** Render a scene (background, objects in order, then the word in white ink) and record each layer's pixels. */
export function renderSceneLayers(scene: Scene, rng: Rng): RenderedLayers {
  const pixels = drawBackground(rng);
  const objectPixels = scene.objects.map((o) => {
    const rgb = COLOR_RGB[o.color].map((v) => v + uniform(rng, -15, 15));
    return drawShape(pixels, o.shape, o.cx, o.cy, o.r, rgb);
  });
  let wordPixels: number[] = [];
  if (scene.word) {
    const scale = textWidth(scene.word, 2) <= IMAGE_SIZE - 2 ? 2 : 1;
    const cx = 16 + uniform(rng, -1, 1),
      cy = 16 + uniform(rng, -3, 3);
    wordPixels = drawWord(pixels, scene.word, cx, cy, scale, INK_RGB);
  }
  return { pixels, objectPixels, wordPixels };
}

/**
 * One mask per regional concept present in the scene (color, shape, size, position of each object;
 * "typographic" and "word:<w>" for the word ink), sorted by tag. Concepts whose pixels are all hidden are left out.
 */
export function sceneConceptMasks(scene: Scene, layers: RenderedLayers): ConceptMask[] {
  const n = IMAGE_SIZE * IMAGE_SIZE;
  // owner[i] = the last layer that painted pixel i: -1 background, 0..objects-1 an object, objects = the word
  const owner = new Int32Array(n).fill(-1);
  layers.objectPixels.forEach((painted, o) => {
    for (const i of painted) owner[i] = o;
  });
  const wordLayer = scene.objects.length;
  for (const i of layers.wordPixels) owner[i] = wordLayer;

  const masks = new Map<string, ConceptMask>();
  const add = (tag: string, family: ConceptFamily, layer: number) => {
    let m = masks.get(tag);
    if (!m) {
      m = { tag, family, mask: new Uint8Array(n) };
      masks.set(tag, m);
    }
    for (let i = 0; i < n; i++) if (owner[i] === layer) m.mask[i] = 1;
  };
  scene.objects.forEach((o, layer) => {
    add(colorTag(o.color), "color", layer);
    add(shapeTag(o.shape), "shape", layer);
    add(sizeTag(o.size), "size", layer);
    add(positionTag(o.position), "position", layer);
  });
  if (scene.word) {
    add(TYPOGRAPHIC_TAG, "typographic", wordLayer);
    add(wordTag(scene.word), "word", wordLayer);
  }
  return [...masks.values()]
    .filter((m) => m.mask.some((v) => v === 1))
    .sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
}

/** The concept masks of example `index` of the world with `seed` (the same scene and pixels as generateExample). */
export function exampleConceptMasks(
  seed: number,
  index: number,
  kindWeights: KindWeights = DEFAULT_KIND_WEIGHTS,
): ConceptMask[] {
  const rng = createRng(mixSeed(seed, index));
  const scene = randomScene(rng, kindWeights);
  return sceneConceptMasks(scene, renderSceneLayers(scene, rng));
}
