// Pure helpers that lay per-position activation values out for display: the square patch grid of an image
// (with or without a leading CLS value) and the word tokens of a text (the built-in word tokenizer's rule).

export interface PatchGrid {
  size: number;
  cells: number[];
  cls: number | null;
}

/**
 * values → square grid. With the model's `gridSize` (patches per side, from its image config): the last gridSize²
 * values are the patches and a value before them is CLS (ViT-B/32 at 224 px: 50 values = CLS + 7×7); fewer values
 * than patches is no grid. Without it (older callers), guessed: n = s² (patches only) or n = s² + 1 (CLS first).
 */
export function patchGrid(values: readonly number[], gridSize?: number | null): PatchGrid | null {
  const n = values.length;
  if (n === 0) return null;
  if (gridSize != null) {
    const cells = gridSize * gridSize;
    if (!(gridSize > 0) || n < cells) return null;
    return { size: gridSize, cells: values.slice(n - cells), cls: n > cells ? values[0] : null };
  }
  const s = Math.round(Math.sqrt(n));
  if (s * s === n) return { size: s, cells: [...values], cls: null };
  const t = Math.round(Math.sqrt(n - 1));
  if (n > 1 && t * t === n - 1) return { size: t, cells: values.slice(1), cls: values[0] };
  return null;
}

/**
 * Words as the built-in word tokenizer sees them (lowercase, split on runs of non-letters), then <eos>; the
 * same rule as splitWords in @mmatlas/inference, which the browser cannot import (it loads onnxruntime).
 */
export function wordTokens(text: string): string[] {
  return [
    ...text
      .toLowerCase()
      .split(/[^\p{L}]+/u)
      .filter((w) => w.length > 0),
    "<eos>",
  ];
}

export interface TokenValue {
  token: string;
  value: number;
}

/**
 * Pairs tokens with per-token values (extra values, e.g. padding, are dropped; missing ones are 0). The tokens are
 * the model's own (TopActivation.tokens: a CLIP BPE starts with <|startoftext|>); without them, the built-in word
 * tokenizer's rule.
 */
export function tokenValues(text: string, values: readonly number[], tokens?: readonly string[] | null): TokenValue[] {
  return (tokens ?? wordTokens(text)).map((token, i) => ({ token, value: values[i] ?? 0 }));
}

/** 0..1 intensity of a value relative to a scale (negative values and a non-positive scale → 0). */
export function intensity(value: number, scale: number): number {
  if (!(scale > 0) || !(value > 0)) return 0;
  return Math.min(1, value / scale);
}
