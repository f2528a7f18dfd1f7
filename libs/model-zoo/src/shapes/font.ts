// A 3×5 bitmap font (letters a–z) for typographic images; each glyph is 5 rows of 3 pixels.
const GLYPHS: Record<string, string> = {
  a: ".#.|#.#|###|#.#|#.#",
  b: "##.|#.#|##.|#.#|##.",
  c: ".##|#..|#..|#..|.##",
  d: "##.|#.#|#.#|#.#|##.",
  e: "###|#..|##.|#..|###",
  f: "###|#..|##.|#..|#..",
  g: ".##|#..|#.#|#.#|.##",
  h: "#.#|#.#|###|#.#|#.#",
  i: "###|.#.|.#.|.#.|###",
  j: "..#|..#|..#|#.#|.#.",
  k: "#.#|#.#|##.|#.#|#.#",
  l: "#..|#..|#..|#..|###",
  m: "#.#|###|###|#.#|#.#",
  n: "##.|#.#|#.#|#.#|#.#",
  o: ".#.|#.#|#.#|#.#|.#.",
  p: "##.|#.#|##.|#..|#..",
  q: ".#.|#.#|#.#|##.|.##",
  r: "##.|#.#|##.|#.#|#.#",
  s: ".##|#..|.#.|..#|##.",
  t: "###|.#.|.#.|.#.|.#.",
  u: "#.#|#.#|#.#|#.#|###",
  v: "#.#|#.#|#.#|#.#|.#.",
  w: "#.#|#.#|###|###|#.#",
  x: "#.#|#.#|.#.|#.#|#.#",
  y: "#.#|#.#|.#.|.#.|.#.",
  z: "###|..#|.#.|#..|###",
};

export const GLYPH_WIDTH = 3;
export const GLYPH_HEIGHT = 5;

/** True when pixel (col, row) of `letter`'s glyph is ink. Unknown letters are blank. */
export function glyphPixel(letter: string, col: number, row: number): boolean {
  const g = GLYPHS[letter];
  return g !== undefined && g.split("|")[row]?.[col] === "#";
}

/** Width in pixels of `word` drawn at `scale` with one (scaled) pixel between letters. */
export function textWidth(word: string, scale: number): number {
  return (word.length * (GLYPH_WIDTH + 1) - 1) * scale;
}
