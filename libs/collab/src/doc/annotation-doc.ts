// The shape of the collaborative Yjs document of one unit (document name = unit id): the label and the
// description as Y.Text, the tags as Y.Array<string>, and confidence + status in a Y.Map. All of them are
// top-level shared types, so two clients that open a fresh document at once never create competing
// copies of a field. Pure helpers read a plain snapshot and write a snapshot back with minimal changes.
import * as Y from "yjs";
import { applyTextDiff } from "./text-diff";

export const COLLAB_STATUSES = ["DRAFT", "PROPOSED", "ACCEPTED", "REJECTED"] as const;
export type CollabStatus = (typeof COLLAB_STATUSES)[number];

/** Names of the top-level shared types in a unit's document. */
export const FIELDS = { label: "label", description: "description", tags: "tags", meta: "meta" } as const;

/** Plain content of a unit's document. */
export interface AnnotationSnapshot {
  label: string;
  description: string;
  tags: string[];
  /** 0..1, or null when not given */
  confidence: number | null;
  status: CollabStatus;
}

export interface AnnotationDocFields {
  label: Y.Text;
  description: Y.Text;
  tags: Y.Array<string>;
  /** keys: "confidence" (number | null), "status" (CollabStatus) */
  meta: Y.Map<unknown>;
}

export function annotationFields(doc: Y.Doc): AnnotationDocFields {
  return {
    label: doc.getText(FIELDS.label),
    description: doc.getText(FIELDS.description),
    tags: doc.getArray<string>(FIELDS.tags),
    meta: doc.getMap<unknown>(FIELDS.meta),
  };
}

export const isCollabStatus = (v: unknown): v is CollabStatus =>
  typeof v === "string" && (COLLAB_STATUSES as readonly string[]).includes(v);

/** The document's content as plain values (missing or malformed meta values read as null / DRAFT). */
export function readSnapshot(doc: Y.Doc): AnnotationSnapshot {
  const f = annotationFields(doc);
  const confidence = f.meta.get("confidence");
  const status = f.meta.get("status");
  return {
    label: f.label.toString(),
    description: f.description.toString(),
    tags: f.tags.toArray().filter((t): t is string => typeof t === "string"),
    confidence: typeof confidence === "number" && Number.isFinite(confidence) ? confidence : null,
    status: isCollabStatus(status) ? status : "DRAFT",
  };
}

/** True when the document holds no content yet (a fresh unit). */
export function isEmptyDoc(doc: Y.Doc): boolean {
  const f = annotationFields(doc);
  return f.label.length === 0 && f.description.length === 0 && f.tags.length === 0 && f.meta.size === 0;
}

/** Writes the parts of `next` that differ, with minimal text splices, in one transaction. */
export function writeSnapshot(doc: Y.Doc, next: Partial<AnnotationSnapshot>, origin?: unknown): void {
  const f = annotationFields(doc);
  doc.transact(() => {
    if (next.label != null) applyTextDiff(f.label, next.label);
    if (next.description != null) applyTextDiff(f.description, next.description);
    if (next.tags != null) setTags(f.tags, next.tags);
    if (next.confidence !== undefined && f.meta.get("confidence") !== next.confidence)
      f.meta.set("confidence", next.confidence);
    if (next.status != null && f.meta.get("status") !== next.status) f.meta.set("status", next.status);
  }, origin);
}

/** Replaces the tag list, keeping the common prefix (so concurrent appends from others survive). */
export function setTags(tags: Y.Array<string>, next: readonly string[]): void {
  const current = tags.toArray();
  let same = 0;
  while (same < current.length && same < next.length && current[same] === next[same]) same++;
  const apply = () => {
    if (current.length > same) tags.delete(same, current.length - same);
    if (next.length > same) tags.insert(same, next.slice(same));
  };
  if (tags.doc) tags.doc.transact(apply);
  else apply();
}

/** Adds a tag unless present (trimmed, case-sensitive); removes one by value. */
export function addTag(tags: Y.Array<string>, tag: string): boolean {
  const t = tag.trim();
  if (!t || tags.toArray().includes(t)) return false;
  tags.push([t]);
  return true;
}

export function removeTag(tags: Y.Array<string>, tag: string): boolean {
  const i = tags.toArray().indexOf(tag);
  if (i < 0) return false;
  tags.delete(i, 1);
  return true;
}
