// Imports annotation records (JSONL from exportAnnotations) into a database holding the same atlas: units
// are found by slug (all must exist, checked before anything is written); authors, editors and voters are
// matched by email and created when missing (with an unusable password: they sign in after a reset by an
// admin); annotations, revisions, votes and comments keep their ids and timestamps (upserts, so importing
// the same file twice changes nothing); each touched unit's label state is recomputed.
import { AppError } from "@mmatlas/errors";
import type { PrismaClient, Role } from "@mmatlas/db";
import { syncUnitLabelState } from "@mmatlas/labeling";
import type { AnnotationRecord, PortableUser } from "./annotation-record";

/** stored for imported users: no scrypt hash parses from it, so nobody can sign in with a password */
export const IMPORTED_PASSWORD_HASH = "!imported";
const ROLES = new Set(["VIEWER", "ANNOTATOR", "REVIEWER", "ADMIN"]);
const STATUSES = new Set(["DRAFT", "PROPOSED", "ACCEPTED", "REJECTED"]);

export interface ImportAnnotationsResult {
  annotations: number;
  usersCreated: number;
  units: number;
}

/** Parses JSONL text into records, with the line number of the first malformed line in the error. */
export function parseAnnotationJsonl(text: string): AnnotationRecord[] {
  const records: AnnotationRecord[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let r: AnnotationRecord;
    try {
      r = JSON.parse(line) as AnnotationRecord;
    } catch {
      throw AppError.badInput(`line ${i + 1}: not valid JSON`, "file");
    }
    const problem =
      !r || typeof r !== "object"
        ? "not an object"
        : typeof r.id !== "string" || !r.id
          ? "missing id"
          : typeof r.unit !== "string"
            ? "missing unit slug"
            : typeof r.label !== "string"
              ? "missing label"
              : !r.author || typeof r.author.email !== "string"
                ? "missing author.email"
                : !STATUSES.has(r.status)
                  ? `unknown status ${JSON.stringify(r.status)}`
                  : Number.isNaN(Date.parse(r.createdAt)) || Number.isNaN(Date.parse(r.updatedAt))
                    ? "bad createdAt/updatedAt"
                    : null;
    if (problem) throw AppError.badInput(`line ${i + 1}: ${problem}`, "file");
    records.push({
      ...r,
      revisions: r.revisions ?? [],
      votes: r.votes ?? [],
      comments: r.comments ?? [],
      users: r.users ?? [],
      tags: r.tags ?? [],
      description: r.description ?? "",
      confidence: r.confidence ?? null,
      version: r.version ?? 1,
      voteScore: r.voteScore ?? 0,
    });
  });
  return records;
}

export async function importAnnotations(
  prisma: PrismaClient,
  records: AnnotationRecord[],
): Promise<ImportAnnotationsResult> {
  const slugs = [...new Set(records.map((r) => r.unit))];
  const units = await prisma.unit.findMany({ where: { slug: { in: slugs } }, select: { id: true, slug: true } });
  const unitId = new Map(units.map((u) => [u.slug, u.id]));
  const missing = slugs.filter((s) => !unitId.has(s));
  if (missing.length)
    throw AppError.badInput(
      `${missing.length} unit(s) are not in this database (build the same atlas first): ${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ", …" : ""}`,
      "unit",
    );

  const people = new Map<string, PortableUser>();
  for (const r of records) for (const u of [r.author, ...r.users]) if (!people.has(u.email)) people.set(u.email, u);
  const existing = await prisma.user.findMany({
    where: { email: { in: [...people.keys()] } },
    select: { id: true, email: true },
  });
  const userId = new Map(existing.map((u) => [u.email, u.id]));
  let usersCreated = 0;
  for (const u of people.values()) {
    if (userId.has(u.email)) continue;
    const role = (ROLES.has(u.role) ? u.role : "ANNOTATOR") as Role;
    const created = await prisma.user.create({
      data: { email: u.email, displayName: u.displayName || u.email, role, passwordHash: IMPORTED_PASSWORD_HASH },
    });
    userId.set(u.email, created.id);
    usersCreated += 1;
  }
  const uid = (email: string) => {
    const id = userId.get(email);
    if (!id) throw AppError.badInput(`user ${email} is referenced but not listed in the record's users`, "users");
    return id;
  };

  const touched = new Set<string>();
  for (const r of records) {
    const unit = unitId.get(r.unit)!;
    touched.add(unit);
    await prisma.$transaction(
      async (tx) => {
        const data = {
          unitId: unit,
          authorId: uid(r.author.email),
          label: r.label,
          description: r.description,
          tags: r.tags,
          confidence: r.confidence,
          status: r.status as "DRAFT",
          version: r.version,
          voteScore: r.voteScore,
          createdAt: new Date(r.createdAt),
          updatedAt: new Date(r.updatedAt),
        };
        await tx.annotation.upsert({ where: { id: r.id }, create: { id: r.id, ...data }, update: data });
        for (const v of r.revisions) {
          const rev = {
            annotationId: r.id,
            version: v.version,
            editorId: uid(v.editor),
            label: v.label,
            description: v.description,
            tags: v.tags,
            confidence: v.confidence,
            status: v.status as "DRAFT",
            createdAt: new Date(v.createdAt),
          };
          await tx.annotationRevision.upsert({ where: { id: v.id }, create: { id: v.id, ...rev }, update: rev });
        }
        for (const v of r.votes) {
          const vote = { value: v.value, createdAt: new Date(v.createdAt), updatedAt: new Date(v.updatedAt) };
          await tx.vote.upsert({
            where: { annotationId_userId: { annotationId: r.id, userId: uid(v.user) } },
            create: { annotationId: r.id, userId: uid(v.user), ...vote },
            update: vote,
          });
        }
        for (const c of r.comments) {
          const parent = c.parentId
            ? await tx.comment.findUnique({ where: { id: c.parentId }, select: { id: true } })
            : null;
          const comment = {
            unitId: unit,
            annotationId: r.id,
            parentId: parent?.id ?? null,
            authorId: uid(c.author),
            body: c.body,
            createdAt: new Date(c.createdAt),
          };
          await tx.comment.upsert({ where: { id: c.id }, create: { id: c.id, ...comment }, update: comment });
        }
      },
      { timeout: 60_000 },
    );
  }
  for (const unit of touched) await prisma.$transaction((tx) => syncUnitLabelState(tx, unit));
  return { annotations: records.length, usersCreated, units: touched.size };
}
