// The labeling queue: the next unit a signed-in annotator should label. Unlabeled units come first, then
// disputed ones; units the annotator already annotated (any status) and the ids they skipped are left out.
// Order inside a group is the catalog's stable order (hook point, index), or, with LOW_SCORE_FIRST, the units
// whose best label explains them worst first (unscored ones last).
import { AppError } from "@mmatlas/errors";
import { assertCan, type Actor } from "@mmatlas/auth";
import { unitWhere, withModelId, type UnitFilter } from "@mmatlas/catalog";
import type { LabelState, Prisma, PrismaClient, Unit } from "@mmatlas/db";

/** the most skipped ids a client may send back (the session's skip list) */
export const QUEUE_SKIP_MAX = 500;
const QUEUE_ORDER: LabelState[] = ["UNLABELED", "DISPUTED"];

export type QueueScope = Pick<UnitFilter, "modelId" | "hookPointId" | "dictionaryId" | "kind">;

export interface QueueItem {
  unit: Unit | null;
  /** units still waiting for this annotator in the scope (skipped ids excluded), per state */
  remainingUnlabeled: number;
  remainingDisputed: number;
}

function checkSkip(skip: readonly string[] | null | undefined): string[] {
  const ids = skip ?? [];
  if (!Array.isArray(ids) || ids.some((id) => typeof id !== "string"))
    throw AppError.badInput("skip must be a list of unit ids", "skip");
  if (ids.length > QUEUE_SKIP_MAX)
    throw AppError.badInput(`skip may hold at most ${QUEUE_SKIP_MAX} ids`, "skip", { max: QUEUE_SKIP_MAX });
  return [...new Set(ids)];
}

/** Units of the scope in `state` that are still open for this annotator. */
function openFor(actor: Actor, scope: QueueScope, state: LabelState, skip: string[]): Prisma.UnitWhereInput {
  return {
    AND: [
      unitWhere({ ...scope, labelState: state }),
      skip.length ? { id: { notIn: skip } } : {},
      { annotations: { none: { authorId: actor.userId } } },
    ],
  };
}

/** CATALOG: hook point, index; LOW_SCORE_FIRST: lowest best label score (Unit.bestLabelScore) first, unscored last */
export type QueueOrder = "CATALOG" | "LOW_SCORE_FIRST";

export async function nextUnitToLabel(
  prisma: PrismaClient,
  actor: Actor | null,
  scope: QueueScope = {},
  skip?: readonly string[] | null,
  order: QueueOrder = "CATALOG",
): Promise<QueueItem> {
  assertCan(actor, "annotation.create");
  const skipped = checkSkip(skip);
  scope = await withModelId(prisma, scope); // a model name or id
  const [remainingUnlabeled, remainingDisputed] = await Promise.all(
    QUEUE_ORDER.map((state) => prisma.unit.count({ where: openFor(actor, scope, state, skipped) })),
  );
  let unit: Unit | null = null;
  for (const state of QUEUE_ORDER) {
    unit = await prisma.unit.findFirst({
      where: openFor(actor, scope, state, skipped),
      orderBy: [
        ...(order === "LOW_SCORE_FIRST" ? [{ bestLabelScore: { sort: "asc", nulls: "last" } } as const] : []),
        { hookPointId: "asc" },
        { index: "asc" },
        { id: "asc" },
      ],
    });
    if (unit) break;
  }
  return { unit, remainingUnlabeled, remainingDisputed };
}
