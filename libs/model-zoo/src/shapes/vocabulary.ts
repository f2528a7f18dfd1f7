// The shapes world's concepts: attribute values, their ground-truth tags and the prompt texts used for
// zero-shot classification and auto-labels, plus the word-level token vocabulary of the built-in model.

export const COLORS = ["red", "green", "blue", "yellow", "purple", "orange"] as const;
export const SHAPES = ["circle", "square", "triangle", "diamond", "cross"] as const;
export const SIZES = ["small", "large"] as const;
export const POSITIONS = ["left", "right", "top", "bottom", "center"] as const;
/** Words that typographic images spell out (color names and shape names). */
export const WORDS = [...COLORS, ...SHAPES] as const;

export type Color = (typeof COLORS)[number];
export type Shape = (typeof SHAPES)[number];
export type Size = (typeof SIZES)[number];
export type Position = (typeof POSITIONS)[number];
export type Word = (typeof WORDS)[number];

/** Object colors as RGB 0..255 (rendering jitters them slightly). */
export const COLOR_RGB: Record<Color, [number, number, number]> = {
  red: [220, 40, 40],
  green: [40, 190, 60],
  blue: [50, 80, 230],
  yellow: [235, 225, 50],
  purple: [150, 60, 200],
  orange: [245, 140, 30],
};
/** Ink of typographic words: white, never an object color. */
export const INK_RGB: [number, number, number] = [245, 245, 245];

/** Phrase used in captions for each position. */
export const POSITION_PHRASE: Record<Position, string> = {
  left: "on the left",
  right: "on the right",
  top: "at the top",
  bottom: "at the bottom",
  center: "in the center",
};

export type ConceptFamily = "color" | "shape" | "size" | "position" | "word" | "count" | "typographic";

/** One concept of the world: a tag like `color:red`, with the prompt text that describes it. */
export interface Concept {
  tag: string;
  family: ConceptFamily;
  value: string;
  prompt: string;
}

const concept = (family: ConceptFamily, value: string, prompt: string): Concept => ({
  tag: family === "typographic" ? "typographic" : `${family}:${value}`,
  family,
  value,
  prompt,
});

/** Every concept tag of the world with its zero-shot prompt. */
export const CONCEPTS: readonly Concept[] = [
  ...COLORS.map((c) => concept("color", c, `a ${c} shape`)),
  ...SHAPES.map((s) => concept("shape", s, `a ${s}`)),
  ...SIZES.map((s) => concept("size", s, `a ${s} shape`)),
  ...POSITIONS.map((p) => concept("position", p, `a shape ${POSITION_PHRASE[p]}`)),
  ...WORDS.map((w) => concept("word", w, `the word ${w}`)),
  concept("count", "1", "a shape"),
  concept("count", "2", "a shape and a shape"),
  concept("typographic", "true", "the word"),
];

/** Concepts of one family, in vocabulary order (the classes of a zero-shot task). */
export function conceptsOf(family: ConceptFamily): Concept[] {
  return CONCEPTS.filter((c) => c.family === family);
}

/** Tag helpers. */
export const colorTag = (c: Color) => `color:${c}`;
export const shapeTag = (s: Shape) => `shape:${s}`;
export const sizeTag = (s: Size) => `size:${s}`;
export const positionTag = (p: Position) => `position:${p}`;
export const wordTag = (w: Word) => `word:${w}`;
export const TYPOGRAPHIC_TAG = "typographic";

/** Special tokens of the word tokenizer. */
export const PAD = "<pad>";
export const UNK = "<unk>";
export const EOS = "<eos>";
/** Tokens per text including `<eos>` (captions have at most 7 words). */
export const TEXT_SEQ_LEN = 8;

/** The built-in model's word vocabulary: special tokens, grammar words, then attribute words. */
export const TOKEN_VOCAB: readonly string[] = [
  PAD,
  UNK,
  EOS,
  "a",
  "the",
  "word",
  "and",
  "on",
  "at",
  "in",
  "shape",
  "left",
  "right",
  "top",
  "bottom",
  "center",
  ...SIZES,
  ...COLORS,
  ...SHAPES,
];
