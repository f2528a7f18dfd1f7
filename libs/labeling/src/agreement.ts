// Inter-annotator agreement over human labels: each annotator's newest PROPOSED/ACCEPTED label of a unit is
// one rating (labels compared case/space-insensitively). Per unit: majority label, its share and pairwise
// agreement (@mmatlas/atlas unitAgreement); for a scope: Krippendorff's α (nominal) over units × annotators.
import { krippendorffAlphaNominal, unitAgreement, type Rating } from "@mmatlas/atlas";
import { withModelId } from "@mmatlas/catalog";
import type { AnnotationStatus, Prisma, PrismaClient } from "@mmatlas/db";
import { normalizeLabelForComparison } from "./label-state";

const RATED: AnnotationStatus[] = ["PROPOSED", "ACCEPTED"];

export interface UnitLabelAgreement {
  unitId: string;
  /** annotators with a proposed/accepted label */
  raters: number;
  /** the most common label (as written in its newest annotation), null without ratings */
  majorityLabel: string | null;
  majorityShare: number | null;
  /** share of agreeing annotator pairs, null with fewer than 2 raters */
  pairwiseAgreement: number | null;
}

export interface ScopeAgreement {
  /** Krippendorff's α (nominal), null when undefined (fewer than 2 pairable ratings or no variation) */
  alpha: number | null;
  /** units with ≥ 2 raters (those that enter α) */
  unitsWithOverlap: number;
  /** units with at least one rating */
  ratedUnits: number;
  annotators: number;
  /** mean pairwise agreement over the units with ≥ 2 raters (null when none) */
  meanPairwiseAgreement: number | null;
}

interface RatingRow {
  unitId: string;
  authorId: string;
  label: string;
  updatedAt: Date;
}

/** unitId → authorId → newest label row. */
function newestPerAuthor(rows: readonly RatingRow[]): Map<string, Map<string, RatingRow>> {
  const out = new Map<string, Map<string, RatingRow>>();
  for (const r of rows) {
    const byAuthor = out.get(r.unitId) ?? new Map<string, RatingRow>();
    const prev = byAuthor.get(r.authorId);
    if (!prev || prev.updatedAt < r.updatedAt) byAuthor.set(r.authorId, r);
    out.set(r.unitId, byAuthor);
  }
  return out;
}

/** Pure: agreement of one unit from its annotators' newest labels. */
export function agreementOfLabels(unitId: string, labels: readonly string[]): UnitLabelAgreement {
  const normalized = labels.map(normalizeLabelForComparison);
  const a = unitAgreement(normalized);
  const majorityIndex = a.majority === null ? -1 : normalized.indexOf(a.majority as string);
  return {
    unitId,
    raters: a.ratings,
    majorityLabel: majorityIndex < 0 ? null : labels[majorityIndex],
    majorityShare: a.majorityShare,
    pairwiseAgreement: a.pairwiseAgreement,
  };
}

/** Pure: the scope figure from per-unit label lists keyed by annotator. */
export function agreementOfScope(units: readonly Map<string, string>[]): ScopeAgreement {
  const annotators = [...new Set(units.flatMap((u) => [...u.keys()]))];
  const ratings: Rating[][] = units.map((u) =>
    annotators.map((a) => (u.has(a) ? normalizeLabelForComparison(u.get(a)!) : null)),
  );
  const k = krippendorffAlphaNominal(ratings);
  const pairwise = units
    .filter((u) => u.size >= 2)
    .map((u) => agreementOfLabels("", [...u.values()]).pairwiseAgreement!);
  return {
    alpha: k.alpha,
    unitsWithOverlap: pairwise.length,
    ratedUnits: units.filter((u) => u.size > 0).length,
    annotators: annotators.length,
    meanPairwiseAgreement: pairwise.length ? pairwise.reduce((s, x) => s + x, 0) / pairwise.length : null,
  };
}

const RATING_SELECT = { unitId: true, authorId: true, label: true, updatedAt: true } as const;

export async function unitLabelAgreement(prisma: PrismaClient, unitId: string): Promise<UnitLabelAgreement> {
  const rows = await prisma.annotation.findMany({ where: { unitId, status: { in: RATED } }, select: RATING_SELECT });
  const byAuthor = newestPerAuthor(rows).get(unitId);
  return agreementOfLabels(unitId, byAuthor ? [...byAuthor.values()].map((r) => r.label) : []);
}

/** modelId: a model id or name */
export interface AgreementScope {
  modelId?: string | null;
  hookPointId?: string | null;
}

export async function scopeLabelAgreement(prisma: PrismaClient, scope: AgreementScope = {}): Promise<ScopeAgreement> {
  scope = await withModelId(prisma, scope);
  const unit: Prisma.UnitWhereInput = {};
  if (scope.modelId) unit.modelId = scope.modelId;
  if (scope.hookPointId) unit.hookPointId = scope.hookPointId;
  const rows = await prisma.annotation.findMany({ where: { status: { in: RATED }, unit }, select: RATING_SELECT });
  const units = [...newestPerAuthor(rows).values()].map((m) => new Map([...m].map(([author, r]) => [author, r.label])));
  return agreementOfScope(units);
}
