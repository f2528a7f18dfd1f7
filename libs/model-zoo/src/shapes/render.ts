// Rasterizes the shapes world into 32×32 RGB pixels: noisy background, filled shapes, bitmap-font words.
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphPixel, textWidth } from "./font";
import type { Rng } from "./rng";
import type { Shape } from "./vocabulary";

export const IMAGE_SIZE = 32;

/** RGB pixels, row-major, 3 bytes per pixel. */
export type RgbImage = Uint8Array;

const clamp255 = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** A dark background with a random base level and per-pixel noise. */
export function drawBackground(rng: Rng): RgbImage {
  const img = new Uint8Array(IMAGE_SIZE * IMAGE_SIZE * 3);
  const base = [10 + rng() * 40, 10 + rng() * 40, 10 + rng() * 40];
  for (let i = 0; i < IMAGE_SIZE * IMAGE_SIZE; i++)
    for (let c = 0; c < 3; c++) img[3 * i + c] = clamp255(base[c] + (rng() - 0.5) * 24);
  return img;
}

/** True when the offset (dx, dy) from the center lies inside `shape` of radius r. */
export function insideShape(shape: Shape, dx: number, dy: number, r: number): boolean {
  const ax = Math.abs(dx),
    ay = Math.abs(dy);
  switch (shape) {
    case "circle":
      return dx * dx + dy * dy <= r * r;
    case "square":
      return ax <= r * 0.8 && ay <= r * 0.8;
    case "triangle":
      return dy >= -r && dy <= r * 0.8 && ax <= ((dy + r) / 1.8) * 0.95;
    case "diamond":
      return ax + ay <= r;
    case "cross":
      return (ax <= r * 0.33 && ay <= r) || (ay <= r * 0.33 && ax <= r);
  }
}

/** Paint `shape` centered at (cx, cy) with radius r; returns the painted pixel indices. */
export function drawShape(
  img: RgbImage,
  shape: Shape,
  cx: number,
  cy: number,
  r: number,
  rgb: readonly number[],
): number[] {
  const painted: number[] = [];
  for (let y = 0; y < IMAGE_SIZE; y++)
    for (let x = 0; x < IMAGE_SIZE; x++) {
      if (!insideShape(shape, x + 0.5 - cx, y + 0.5 - cy, r)) continue;
      const i = y * IMAGE_SIZE + x;
      for (let c = 0; c < 3; c++) img[3 * i + c] = clamp255(rgb[c]);
      painted.push(i);
    }
  return painted;
}

/** Write `word` with the 3×5 font, centered at (cx, cy), each font pixel a scale×scale block. */
export function drawWord(
  img: RgbImage,
  word: string,
  cx: number,
  cy: number,
  scale: number,
  rgb: readonly number[],
): number[] {
  const painted: number[] = [];
  const x0 = Math.round(cx - textWidth(word, scale) / 2);
  const y0 = Math.round(cy - (GLYPH_HEIGHT * scale) / 2);
  for (let k = 0; k < word.length; k++)
    for (let row = 0; row < GLYPH_HEIGHT; row++)
      for (let col = 0; col < GLYPH_WIDTH; col++) {
        if (!glyphPixel(word[k], col, row)) continue;
        for (let sy = 0; sy < scale; sy++)
          for (let sx = 0; sx < scale; sx++) {
            const x = x0 + (k * (GLYPH_WIDTH + 1) + col) * scale + sx,
              y = y0 + row * scale + sy;
            if (x < 0 || y < 0 || x >= IMAGE_SIZE || y >= IMAGE_SIZE) continue;
            const i = y * IMAGE_SIZE + x;
            for (let c = 0; c < 3; c++) img[3 * i + c] = clamp255(rgb[c]);
            painted.push(i);
          }
      }
  return painted;
}
