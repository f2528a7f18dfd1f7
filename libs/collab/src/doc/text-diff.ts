// Minimal text diffs: the single splice (common prefix + common suffix kept) that turns one string into
// another, applying it to a Y.Text, and moving a caret index through a remote Yjs delta.
import type * as Y from "yjs";

export interface TextSplice {
  /** where the change starts (UTF-16 code units, as Y.Text counts) */
  index: number;
  deleteCount: number;
  insert: string;
}

/** The one splice turning `before` into `after`; null when they are equal. Never splits a surrogate pair. */
export function diffText(before: string, after: string): TextSplice | null {
  if (before === after) return null;
  let start = 0;
  const maxStart = Math.min(before.length, after.length);
  while (start < maxStart && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  // keep surrogate pairs whole: step back when the prefix ends on a high surrogate
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--;
  if (endBefore < before.length && isLowSurrogate(before.charCodeAt(endBefore))) {
    endBefore++;
    endAfter++;
  }
  return { index: start, deleteCount: endBefore - start, insert: after.slice(start, endAfter) };
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** Makes `text` equal `value` with the smallest splice, in one transaction; returns the splice applied. */
export function applyTextDiff(text: Y.Text, value: string, origin?: unknown): TextSplice | null {
  const splice = diffText(text.toString(), value);
  if (!splice) return null;
  const apply = () => {
    if (splice.deleteCount) text.delete(splice.index, splice.deleteCount);
    if (splice.insert) text.insert(splice.index, splice.insert);
  };
  if (text.doc) text.doc.transact(apply, origin);
  else apply();
  return splice;
}

/** One op of a Y.Text delta (as in Y.YTextEvent.delta). */
export type TextDeltaOp = { retain?: number; insert?: string | object; delete?: number };

/**
 * Where a caret at `index` ends up after a remote `delta` is applied to the text: text inserted before (or
 * exactly at) the caret pushes it right, deleted text before it pulls it left, a deletion spanning it moves
 * it to the deletion's start.
 */
export function transformIndex(index: number, delta: readonly TextDeltaOp[]): number {
  let pos = 0; // position in the old text
  let shift = 0;
  for (const op of delta) {
    if (pos > index) break;
    if (op.retain != null) pos += op.retain;
    else if (op.insert != null) {
      const len = typeof op.insert === "string" ? op.insert.length : 1;
      if (pos <= index) shift += len;
    } else if (op.delete != null) {
      const removedBeforeCaret = Math.max(0, Math.min(op.delete, index - pos));
      shift -= removedBeforeCaret;
      pos += op.delete;
    }
  }
  return Math.max(0, index + shift);
}
