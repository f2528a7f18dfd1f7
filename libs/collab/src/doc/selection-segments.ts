// Splits a text into runs for drawing other people's selections and carets over a plain textarea: each
// run says which selections cover it and which carets sit right before it.

export interface SelectionMark {
  /** whose selection (shown as a label on the caret) */
  id: string;
  from: number;
  to: number;
  /** the caret end of the selection */
  head: number;
}

export interface TextSegment {
  text: string;
  /** ids of the selections covering this run */
  coveredBy: string[];
  /** ids of carets placed right before this run */
  caretsBefore: string[];
}

/** Runs of `text` cut at every selection boundary and caret; carets at the very end get an empty last run. */
export function selectionSegments(text: string, marks: readonly SelectionMark[]): TextSegment[] {
  const clamp = (i: number) => Math.max(0, Math.min(text.length, i));
  const ms = marks.map((m) => ({ ...m, from: clamp(m.from), to: clamp(m.to), head: clamp(m.head) }));
  const cuts = new Set<number>([0, text.length]);
  for (const m of ms) {
    cuts.add(m.from);
    cuts.add(m.to);
    cuts.add(m.head);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const segments: TextSegment[] = [];
  for (let i = 0; i < points.length; i++) {
    const start = points[i];
    const end = i + 1 < points.length ? points[i + 1] : start;
    if (end === start && start !== text.length) continue;
    const caretsBefore = ms.filter((m) => m.head === start).map((m) => m.id);
    const coveredBy = end > start ? ms.filter((m) => m.from <= start && m.to >= end).map((m) => m.id) : [];
    if (end === start && caretsBefore.length === 0) continue;
    segments.push({ text: text.slice(start, end), coveredBy, caretsBefore });
  }
  return segments;
}
