// Keeps the document's text fields within FIELD_MAX on the server. A client update that would push the label
// or the description over its limit is trimmed at once, in the same synchronous step that applied it (the
// document's "update" event, before any store can read the state): only characters this update inserted
// are removed, last ones first, so text that was already in the document (and perhaps reported saved) is
// never cut. Updates relayed from other API nodes (Redis) are trimmed by the node that received them from its
// client; two nodes' concurrent inserts may therefore merge past the limit, and then the document keeps its
// text (the projection stores the cut copy, and loading never writes that copy back; see projection.ts).
import * as Y from "yjs";
import { annotationFields, FIELD_MAX } from "../doc";

/** Deletes the newest insertions of `tr` from `text` until it is at most `max` long; returns how many went. */
export function trimInsertionsOverLimit(text: Y.Text, max: number, tr: Y.Transaction): number {
  const excess = text.length - max;
  if (excess <= 0) return 0;
  const spans: [number, number][] = []; // [index, length] of characters this transaction inserted
  let index = 0;
  for (let item = text._start; item; item = item.right) {
    if (item.deleted || !item.countable) continue;
    const from = Math.max(0, (tr.beforeState.get(item.id.client) ?? 0) - item.id.clock);
    if (from < item.length) spans.push([index + from, item.length - from]);
    index += item.length;
  }
  let left = excess;
  for (let i = spans.length - 1; i >= 0 && left > 0; i--) {
    const [at, len] = spans[i]!;
    const n = Math.min(len, left);
    text.delete(at + len - n, n);
    left -= n;
  }
  return excess - left;
}

/** Trims the label and description insertions of `tr` to FIELD_MAX (one transaction with `origin`). */
export function enforceFieldLimits(doc: Y.Doc, tr: Y.Transaction, origin: unknown): number {
  const f = annotationFields(doc);
  if (f.label.length <= FIELD_MAX.label && f.description.length <= FIELD_MAX.description) return 0;
  let removed = 0;
  doc.transact(() => {
    removed += trimInsertionsOverLimit(f.label, FIELD_MAX.label, tr);
    removed += trimInsertionsOverLimit(f.description, FIELD_MAX.description, tr);
  }, origin);
  return removed;
}
