// Random scenes of the shapes world (what is in an image) and their ground-truth concept tags.
import { pick, uniform, type Rng } from "./rng";
import {
  COLORS,
  POSITIONS,
  SHAPES,
  SIZES,
  TYPOGRAPHIC_TAG,
  WORDS,
  colorTag,
  positionTag,
  shapeTag,
  sizeTag,
  wordTag,
  type Color,
  type Position,
  type Shape,
  type Size,
  type Word,
} from "./vocabulary";

export type SceneKind = "object" | "pair" | "word" | "word-on-object";

export interface SceneObject {
  color: Color;
  shape: Shape;
  size: Size;
  position: Position;
  /** Center in pixels and radius. */
  cx: number;
  cy: number;
  r: number;
}

export interface Scene {
  kind: SceneKind;
  /** Left-to-right order for pairs. */
  objects: SceneObject[];
  /** The written word of typographic scenes. */
  word?: Word;
}

/** Relative frequency of each scene kind. */
export type KindWeights = Record<SceneKind, number>;
export const DEFAULT_KIND_WEIGHTS: KindWeights = { object: 0.55, pair: 0.2, word: 0.1, "word-on-object": 0.15 };

const CENTERS: Record<Position, [number, number]> = {
  left: [9, 16],
  right: [23, 16],
  top: [16, 9],
  bottom: [16, 23],
  center: [16, 16],
};

function radiusFor(rng: Rng, size: Size): number {
  return size === "small" ? uniform(rng, 4.5, 5.5) : uniform(rng, 7.5, 9);
}

function placeObject(rng: Rng, color: Color, shape: Shape, size: Size, position: Position): SceneObject {
  const [x, y] = CENTERS[position];
  return {
    color,
    shape,
    size,
    position,
    cx: x + uniform(rng, -1.5, 1.5),
    cy: y + uniform(rng, -1.5, 1.5),
    r: radiusFor(rng, size),
  };
}

function pickKind(rng: Rng, weights: KindWeights): SceneKind {
  const kinds = Object.keys(weights) as SceneKind[];
  const total = kinds.reduce((s, k) => s + weights[k], 0);
  let u = rng() * total;
  for (const k of kinds) if ((u -= weights[k]) < 0) return k;
  return kinds[kinds.length - 1];
}

/** Draw a random scene. Typographic scenes spell a color or shape word; over an object, a color word never names the object's color. */
export function randomScene(rng: Rng, weights: KindWeights = DEFAULT_KIND_WEIGHTS): Scene {
  const kind = pickKind(rng, weights);
  if (kind === "object")
    return {
      kind,
      objects: [placeObject(rng, pick(rng, COLORS), pick(rng, SHAPES), pick(rng, SIZES), pick(rng, POSITIONS))],
    };
  if (kind === "pair") {
    const a = pick(rng, COLORS);
    const b = pick(
      rng,
      COLORS.filter((c) => c !== a),
    );
    const left = placeObject(rng, a, pick(rng, SHAPES), "small", "left");
    const right = placeObject(rng, b, pick(rng, SHAPES), "small", "right");
    left.cx -= 2;
    right.cx += 2;
    return { kind, objects: [left, right] };
  }
  if (kind === "word") return { kind, objects: [], word: pick(rng, WORDS) };
  const color = pick(rng, COLORS);
  const word = pick(
    rng,
    WORDS.filter((w) => w !== color),
  );
  return { kind, objects: [placeObject(rng, color, pick(rng, SHAPES), "large", "center")], word };
}

/** Ground-truth concept tags of a scene (sorted, unique). */
export function sceneTags(scene: Scene): string[] {
  const tags = new Set<string>();
  for (const o of scene.objects) {
    tags.add(colorTag(o.color));
    tags.add(shapeTag(o.shape));
    tags.add(sizeTag(o.size));
    tags.add(positionTag(o.position));
  }
  if (scene.objects.length > 0) tags.add(`count:${scene.objects.length}`);
  if (scene.word) {
    tags.add(TYPOGRAPHIC_TAG);
    tags.add(wordTag(scene.word));
  }
  return [...tags].sort();
}
