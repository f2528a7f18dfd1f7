// Exports annotations (optionally filtered like the `annotations` query, drafts excluded unless asked)
// as JSONL records or CSV rows, streamed page by page in (updatedAt, id) order.
import { withModelId } from "@mmatlas/catalog";
import type { Prisma, PrismaClient } from "@mmatlas/db";
import { annotationWhere, type AnnotationFilter } from "@mmatlas/labeling";
import { CSV_COLUMNS, csvRow, type AnnotationRecord, type PortableUser } from "./annotation-record";

export type AnnotationFormat = "jsonl" | "csv";

const PAGE = 500;
const iso = (d: Date) => d.toISOString();

export async function* annotationRecords(
  prisma: PrismaClient,
  opts: { filter?: AnnotationFilter; includeDrafts?: boolean } = {},
): AsyncGenerator<AnnotationRecord> {
  // annotationWhere's first condition is visibility (no drafts for an anonymous reader); an admin export may drop it
  const visible = annotationWhere(await withModelId(prisma, opts.filter ?? {}), null) as {
    AND: Prisma.AnnotationWhereInput[];
  };
  const where: Prisma.AnnotationWhereInput = opts.includeDrafts ? { AND: visible.AND.slice(1) } : visible;
  const page = (c: { updatedAt: Date; id: string } | null) =>
    prisma.annotation.findMany({
      where: c
        ? { AND: [where, { OR: [{ updatedAt: { gt: c.updatedAt } }, { updatedAt: c.updatedAt, id: { gt: c.id } }] }] }
        : where,
      orderBy: [{ updatedAt: "asc" }, { id: "asc" }],
      take: PAGE,
      include: {
        author: true,
        unit: { include: { model: true, hookPoint: true } },
        revisions: { include: { editor: true }, orderBy: [{ version: "asc" }, { id: "asc" }] },
        votes: { include: { user: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
        comments: { include: { author: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
      },
    });
  let cursor: { updatedAt: Date; id: string } | null = null;
  for (;;) {
    const rows = await page(cursor);
    for (const a of rows) {
      const users = new Map<string, PortableUser>();
      const user = (u: { email: string; displayName: string; role: string }) => {
        users.set(u.email, { email: u.email, displayName: u.displayName, role: u.role });
        return u.email;
      };
      const author = { email: a.author.email, displayName: a.author.displayName, role: a.author.role };
      yield {
        id: a.id,
        unit: a.unit.slug,
        model: a.unit.model.name,
        hook: a.unit.hookPoint.name,
        unitKind: a.unit.kind,
        unitIndex: a.unit.index,
        author,
        label: a.label,
        description: a.description,
        tags: a.tags,
        confidence: a.confidence,
        status: a.status,
        version: a.version,
        voteScore: a.voteScore,
        createdAt: iso(a.createdAt),
        updatedAt: iso(a.updatedAt),
        revisions: a.revisions.map((r) => ({
          id: r.id,
          version: r.version,
          editor: user(r.editor),
          label: r.label,
          description: r.description,
          tags: r.tags,
          confidence: r.confidence,
          status: r.status,
          createdAt: iso(r.createdAt),
        })),
        votes: a.votes.map((v) => ({
          user: user(v.user),
          value: v.value,
          createdAt: iso(v.createdAt),
          updatedAt: iso(v.updatedAt),
        })),
        comments: a.comments.map((m) => ({
          id: m.id,
          parentId: m.parentId,
          author: user(m.author),
          body: m.body,
          createdAt: iso(m.createdAt),
        })),
        users: [...users.values()].sort((x, y) => x.email.localeCompare(y.email)),
      };
    }
    if (rows.length < PAGE) return;
    cursor = { updatedAt: rows[rows.length - 1].updatedAt, id: rows[rows.length - 1].id };
  }
}

/** The export as lines (each ends with "\n"); CSV starts with its header. */
export async function* exportAnnotations(
  prisma: PrismaClient,
  opts: { format: AnnotationFormat; filter?: AnnotationFilter; includeDrafts?: boolean },
): AsyncGenerator<string> {
  if (opts.format === "csv") yield `${CSV_COLUMNS.join(",")}\n`;
  for await (const r of annotationRecords(prisma, opts))
    yield opts.format === "csv" ? `${csvRow(r)}\n` : `${JSON.stringify(r)}\n`;
}
