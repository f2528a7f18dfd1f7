// generateShapesWorld: deterministic labelled images (pixels, caption, concept tags) from a seed.
import { canonicalCaption, mixSeed, sampleCaption, type Caption } from "./captions";
import { renderSceneLayers } from "./concept-masks";
import { IMAGE_SIZE, type RgbImage } from "./render";
import { createRng, type Rng } from "./rng";
import { randomScene, sceneTags, DEFAULT_KIND_WEIGHTS, type KindWeights, type Scene } from "./scene";
import { encodePng } from "./png";

export interface ShapesExample {
  id: string;
  index: number;
  scene: Scene;
  /** Full caption from the grammar. */
  caption: string;
  /** Ground-truth concept tags (sorted). */
  tags: string[];
  /** 32×32 RGB, row-major, 3 bytes per pixel. */
  pixels: RgbImage;
  width: number;
  height: number;
  /** PNG bytes, present when asked for with `png: true`. */
  png?: Buffer;
}

export interface ShapesWorldOptions {
  seed: number;
  count: number;
  /** First example index (examples are independent of `count`: index i is the same in every call). */
  offset?: number;
  kindWeights?: KindWeights;
  png?: boolean;
}

/** Render a scene to pixels. Colors are jittered per object; words are written in white ink on top (see renderSceneLayers). */
export function renderScene(scene: Scene, rng: Rng): RgbImage {
  return renderSceneLayers(scene, rng).pixels;
}

/** One example: scene, pixels, caption and tags, drawn from its own seeded stream. */
export function generateExample(
  seed: number,
  index: number,
  kindWeights: KindWeights = DEFAULT_KIND_WEIGHTS,
): ShapesExample {
  const rng = createRng(mixSeed(seed, index));
  const scene = randomScene(rng, kindWeights);
  const pixels = renderScene(scene, rng);
  return {
    id: `shapes-${seed}-${index}`,
    index,
    scene,
    caption: canonicalCaption(scene).text,
    tags: sceneTags(scene),
    pixels,
    width: IMAGE_SIZE,
    height: IMAGE_SIZE,
  };
}

/** `count` examples starting at `offset`, deterministic from `seed`. */
export function generateShapesWorld(opts: ShapesWorldOptions): ShapesExample[] {
  const out: ShapesExample[] = [];
  const start = opts.offset ?? 0;
  for (let i = start; i < start + opts.count; i++) {
    const ex = generateExample(opts.seed, i, opts.kindWeights ?? DEFAULT_KIND_WEIGHTS);
    if (opts.png) ex.png = encodePng(ex.pixels, ex.width, ex.height);
    out.push(ex);
  }
  return out;
}

/** A random abbreviated caption of an example (training text variety), deterministic from `seed`. */
export function trainingCaption(example: ShapesExample, seed: number): Caption {
  return sampleCaption(example.scene, createRng(mixSeed(seed, example.index, 3)));
}
