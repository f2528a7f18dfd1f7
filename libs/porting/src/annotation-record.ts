// The portable shape of one annotation (JSONL line / CSV row): units, authors and editors are named by
// natural keys (unit slug, user email) so a file moves between databases holding the same atlas; ids and
// timestamps are kept so a re-import is idempotent and a round trip reproduces the data exactly.
export interface PortableUser {
  email: string;
  displayName: string;
  role: string;
}

export interface PortableRevision {
  id: string;
  version: number;
  editor: string;
  label: string;
  description: string;
  tags: string[];
  confidence: number | null;
  status: string;
  createdAt: string;
}

export interface PortableVote {
  user: string;
  value: number;
  createdAt: string;
  updatedAt: string;
}

export interface PortableComment {
  id: string;
  parentId: string | null;
  author: string;
  body: string;
  createdAt: string;
}

export interface AnnotationRecord {
  id: string;
  unit: string;
  model: string;
  hook: string;
  unitKind: string;
  unitIndex: number;
  author: PortableUser;
  label: string;
  description: string;
  tags: string[];
  confidence: number | null;
  status: string;
  version: number;
  voteScore: number;
  createdAt: string;
  updatedAt: string;
  revisions: PortableRevision[];
  votes: PortableVote[];
  comments: PortableComment[];
  /** every user referenced by revisions, votes and comments (so the import can create them) */
  users: PortableUser[];
}

/** Flat CSV columns (revisions, votes and comments are JSONL-only). */
export const CSV_COLUMNS = [
  "id",
  "unit",
  "model",
  "hook",
  "unitKind",
  "unitIndex",
  "authorEmail",
  "authorName",
  "label",
  "description",
  "tags",
  "confidence",
  "status",
  "version",
  "voteScore",
  "createdAt",
  "updatedAt",
] as const;

/** RFC 4180 field quoting; cells starting with = + - @ get a leading ' so spreadsheets never run them. */
export function csvCell(value: unknown): string {
  let s = value == null ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(r: AnnotationRecord): string {
  const values: Record<(typeof CSV_COLUMNS)[number], unknown> = {
    id: r.id,
    unit: r.unit,
    model: r.model,
    hook: r.hook,
    unitKind: r.unitKind,
    unitIndex: r.unitIndex,
    authorEmail: r.author.email,
    authorName: r.author.displayName,
    label: r.label,
    description: r.description,
    tags: r.tags.join("|"),
    confidence: r.confidence,
    status: r.status,
    version: r.version,
    voteScore: r.voteScore,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
  return CSV_COLUMNS.map((c) => csvCell(values[c])).join(",");
}
