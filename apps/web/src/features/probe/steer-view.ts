// Pure helpers of the steering panel: which units can be steered, the strength slider's range (scaled to the
// unit's largest atlas activation), and which zero-shot classes the before/after chart shows.

/** Only neurons and SAE features of the image tower have a direction to add (heads do not). */
export function isSteerable(kind: string, tower: string): boolean {
  return tower === "VISION" && (kind === "NEURON" || kind === "SAE_FEATURE");
}

export interface StrengthRange {
  min: number;
  max: number;
  step: number;
  initial: number;
}

/** ±4 × the unit's max activation (1 when unknown), rounded up to 1, 2 or 5 × 10ⁿ; 40 steps per side. */
export function strengthRange(maxActivation: number | null | undefined): StrengthRange {
  const scale = maxActivation != null && Number.isFinite(maxActivation) && maxActivation > 0 ? maxActivation : 1;
  const raw = 4 * scale;
  const p = 10 ** Math.floor(Math.log10(raw));
  const max = [1, 2, 5, 10].map((m) => m * p).find((v) => v >= raw * (1 - 1e-12))!;
  return { min: -max, max, step: max / 40, initial: max / 2 };
}

export interface ShownClass {
  label: string;
  before: number;
  after: number;
  delta: number;
}

/** The n classes with the highest probability before or after, most probable first (ties: given order). */
export function classesToShow<T extends ShownClass>(classes: readonly T[], n: number): T[] {
  return classes
    .map((c, i) => ({ c, i, top: Math.max(c.before, c.after) }))
    .sort((a, b) => b.top - a.top || a.i - b.i)
    .slice(0, n)
    .map((x) => x.c);
}

/** "+0.123" / "−0.045" (a real minus sign), in percentage points when asked. */
export function signed(x: number, digits = 3): string {
  const s = Math.abs(x).toFixed(digits);
  return Number(s) === 0 ? `±${s}` : `${x > 0 ? "+" : "−"}${s}`;
}

/** Class prompts typed one per line or comma-separated: trimmed, empties and repeats dropped; null = the default. */
export function parseClassPrompts(text: string): string[] | null {
  const prompts = [
    ...new Set(
      text
        .split(/[\n,]/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  return prompts.length ? prompts : null;
}
