// How many units match a filter and how many annotations (human labels) sit on them: what a replace or a removal
// reports before it deletes them (units cascade to their activations, annotations and comments).
import type { Prisma, PrismaClient } from "@mmatlas/db";

export interface UnitAndLabelCounts {
  units: number;
  /** annotations (human labels) on those units */
  annotations: number;
}

/** Works inside a transaction too (pass the transaction client). */
export async function countUnitsAndAnnotations(
  db: Pick<PrismaClient, "unit" | "annotation">,
  where: Prisma.UnitWhereInput,
): Promise<UnitAndLabelCounts> {
  const [units, annotations] = await Promise.all([
    db.unit.count({ where }),
    db.annotation.count({ where: { unit: where } }),
  ]);
  return { units, annotations };
}
