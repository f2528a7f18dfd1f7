// Keeps Unit.labelState / Unit.currentLabel in step with the unit's annotations, inside the caller's
// transaction. lockUnit serializes labeling writes on one unit (row lock), so concurrent edits see each other.
import { AppError } from "@mmatlas/errors";
import type { Prisma } from "@mmatlas/db";
import { computeLabelState, type UnitLabelState } from "./label-state";

type Tx = Prisma.TransactionClient;

/** Locks the unit row for the rest of the transaction; NOT_FOUND when there is no such unit. */
export async function lockUnit(tx: Tx, unitId: string): Promise<void> {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Unit" WHERE id = ${unitId} FOR UPDATE`;
  if (rows.length === 0) throw AppError.notFound("Unit", unitId);
}

/** Recomputes and stores the unit's label state from its proposed/accepted annotations. */
export async function syncUnitLabelState(tx: Tx, unitId: string): Promise<UnitLabelState> {
  const annotations = await tx.annotation.findMany({
    where: { unitId, status: { in: ["PROPOSED", "ACCEPTED"] } },
    select: { label: true, status: true, updatedAt: true },
  });
  const state = computeLabelState(annotations);
  await tx.unit.update({ where: { id: unitId }, data: state });
  return state;
}
