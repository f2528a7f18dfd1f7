// Labeling progress of a model's atlas, per unit set (hook point × SAE dictionary × unit kind): how many
// units there are and how many are labeled, disputed or unlabeled. One grouped count query.
import { AppError } from "@mmatlas/errors";
import type { PrismaClient, UnitKind } from "@mmatlas/db";

export interface UnitSetProgress {
  hookPointId: string;
  dictionaryId: string | null;
  kind: UnitKind;
  total: number;
  labeled: number;
  disputed: number;
  unlabeled: number;
}

export async function unitSetProgress(prisma: PrismaClient, modelId: string): Promise<UnitSetProgress[]> {
  if (typeof modelId !== "string" || !modelId) throw AppError.badInput("modelId is required", "modelId");
  const groups = await prisma.unit.groupBy({
    by: ["hookPointId", "dictionaryId", "kind", "labelState"],
    where: { modelId },
    _count: { _all: true },
  });
  const sets = new Map<string, UnitSetProgress>();
  for (const g of groups) {
    const key = `${g.hookPointId}|${g.dictionaryId ?? ""}|${g.kind}`;
    const set = sets.get(key) ?? { hookPointId: g.hookPointId, dictionaryId: g.dictionaryId, kind: g.kind, total: 0, labeled: 0, disputed: 0, unlabeled: 0 };
    const n = g._count._all;
    set.total += n;
    if (g.labelState === "LABELED") set.labeled += n;
    else if (g.labelState === "DISPUTED") set.disputed += n;
    else set.unlabeled += n;
    sets.set(key, set);
  }
  return [...sets.values()];
}
