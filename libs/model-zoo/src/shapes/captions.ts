// Caption grammar of the shapes world: the canonical caption of a scene and randomly abbreviated
// variants (used in training), each with the concept tags it mentions.
import { createRng, type Rng } from "./rng";
import { randomScene, type Scene, type SceneObject, type KindWeights, DEFAULT_KIND_WEIGHTS } from "./scene";
import { POSITION_PHRASE, TYPOGRAPHIC_TAG, colorTag, positionTag, shapeTag, sizeTag, wordTag } from "./vocabulary";

export interface Caption {
  text: string;
  /** Concept tags the text mentions. */
  tags: string[];
}

/**
 * The grammar (every caption has at most 7 words):
 *   object         := "a" [size] [color] (shape | "shape") [position-phrase]
 *   pair           := "a" color shape "and a" color shape
 *   word           := "the word" word
 *   word-on-object := "the word" word "on a" color shape
 */
export const CAPTION_GRAMMAR = [
  'object := "a" [size] [color] (shape | "shape") [position-phrase]',
  'pair := "a" color shape "and a" color shape',
  'word := "the word" word',
  'word-on-object := "the word" word "on a" color shape',
  'position-phrase := "on the left" | "on the right" | "at the top" | "at the bottom" | "in the center"',
] as const;

interface ObjectMention {
  size?: boolean;
  color?: boolean;
  shape?: boolean;
  position?: boolean;
}

function describeObject(o: SceneObject, m: ObjectMention): Caption {
  const words = ["a"];
  const tags: string[] = [];
  if (m.size) {
    words.push(o.size);
    tags.push(sizeTag(o.size));
  }
  if (m.color) {
    words.push(o.color);
    tags.push(colorTag(o.color));
  }
  if (m.shape) {
    words.push(o.shape);
    tags.push(shapeTag(o.shape));
  } else words.push("shape");
  if (m.position) {
    words.push(POSITION_PHRASE[o.position]);
    tags.push(positionTag(o.position));
  }
  return { text: words.join(" "), tags };
}

const ALL: ObjectMention = { size: true, color: true, shape: true, position: true };
const COLOR_SHAPE: ObjectMention = { color: true, shape: true };

function join(parts: Caption[], glue: string, extraTags: string[] = []): Caption {
  return {
    text: parts.map((p) => p.text).join(glue),
    tags: [...new Set([...parts.flatMap((p) => p.tags), ...extraTags])].sort(),
  };
}

function wordCaption(scene: Scene): Caption {
  return { text: `the word ${scene.word}`, tags: [TYPOGRAPHIC_TAG, wordTag(scene.word!)].sort() };
}

/** The full caption of a scene. */
export function canonicalCaption(scene: Scene): Caption {
  switch (scene.kind) {
    case "object":
      return join([describeObject(scene.objects[0], ALL)], "");
    case "pair":
      return join(
        scene.objects.map((o) => describeObject(o, COLOR_SHAPE)),
        " and ",
        ["count:2"],
      );
    case "word":
      return wordCaption(scene);
    case "word-on-object":
      return join([wordCaption(scene), describeObject(scene.objects[0], COLOR_SHAPE)], " on ");
  }
}

/** A randomly abbreviated caption that is still true of the scene. */
export function sampleCaption(scene: Scene, rng: Rng): Caption {
  switch (scene.kind) {
    case "object": {
      const m: ObjectMention = { size: rng() < 0.5, color: rng() < 0.75, shape: rng() < 0.75, position: rng() < 0.5 };
      if (!m.color && !m.shape) {
        if (rng() < 0.5) m.color = true;
        else m.shape = true;
      }
      return describeObject(scene.objects[0], m);
    }
    case "pair": {
      const order = rng() < 0.5 ? scene.objects : [...scene.objects].reverse();
      return join(
        order.map((o) => describeObject(o, COLOR_SHAPE)),
        " and ",
        ["count:2"],
      );
    }
    case "word":
      return wordCaption(scene);
    case "word-on-object": {
      const u = rng();
      if (u < 0.3) return wordCaption(scene);
      if (u < 0.5) return describeObject(scene.objects[0], COLOR_SHAPE);
      return canonicalCaption(scene);
    }
  }
}

/** True when every tag a caption mentions holds for an image with `imageTags`. */
export function captionMatches(captionTags: readonly string[], imageTags: readonly string[]): boolean {
  const have = new Set(imageTags);
  return captionTags.every((t) => have.has(t));
}

export interface TextExample extends Caption {
  id: string;
}

/** Text-only examples (captions of random scenes), deterministic from the seed. */
export function generateCaptionCorpus(opts: { seed: number; count: number; kindWeights?: KindWeights }): TextExample[] {
  const out: TextExample[] = [];
  for (let i = 0; i < opts.count; i++) {
    const rng = createRng(mixSeed(opts.seed, i, 7));
    const c = sampleCaption(randomScene(rng, opts.kindWeights ?? DEFAULT_KIND_WEIGHTS), rng);
    out.push({ id: `text-${opts.seed}-${i}`, ...c });
  }
  return out;
}

/** A 32-bit seed for item `index` of stream `stream` under `seed`. */
export function mixSeed(seed: number, index: number, stream = 0): number {
  let h =
    Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35) ^ Math.imul(stream + 1, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}
