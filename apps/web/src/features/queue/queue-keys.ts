// Keyboard map of the labeling queue, as a pure function of the key event and where the focus is:
// in the label field Enter saves and moves on, Escape leaves the field; elsewhere S skips, Enter or L goes
// to the label field, 1–9 take the n-th auto-label suggestion.
export type QueueAction =
  | { type: "save" }
  | { type: "skip" }
  | { type: "focus" }
  | { type: "blur" }
  | { type: "suggest"; index: number }
  | null;

export interface KeyInfo {
  key: string;
  inLabelField: boolean;
  inOtherField: boolean;
  ctrl: boolean;
  meta: boolean;
  alt: boolean;
}

export function queueAction(k: KeyInfo): QueueAction {
  if (k.ctrl || k.meta) return null;
  if (k.inLabelField) {
    if (k.key === "Enter") return { type: "save" };
    if (k.key === "Escape") return { type: "blur" };
    if (k.alt && (k.key === "s" || k.key === "S" || k.key === "ß")) return { type: "skip" };
    return null;
  }
  if (k.inOtherField || k.alt) return null;
  if (k.key === "s" || k.key === "S") return { type: "skip" };
  if (k.key === "Enter" || k.key === "l" || k.key === "L") return { type: "focus" };
  if (/^[1-9]$/.test(k.key)) return { type: "suggest", index: Number(k.key) - 1 };
  return null;
}
