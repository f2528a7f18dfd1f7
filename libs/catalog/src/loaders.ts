// Per-request DataLoaders for catalog rows a page of units refers to (models, hook points, dictionaries,
// top activations with their examples, units by id): one SQL query per kind per batch.
import DataLoader from "dataloader";
import type { Dictionary, Example, HookPoint, Model, PrismaClient, TopActivation, Unit } from "@mmatlas/db";

export type TopActivationWithExample = TopActivation & { example: Example };

function byIds<T extends { id: string }>(load: (ids: string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await load([...ids]);
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id) ?? null);
  });
}

function grouped<T>(keys: readonly string[], rows: T[], keyOf: (r: T) => string): T[][] {
  const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
  for (const r of rows) groups.get(keyOf(r))?.push(r);
  return keys.map((k) => groups.get(k)!);
}

export interface CatalogLoaders {
  model: DataLoader<string, Model | null>;
  hookPoint: DataLoader<string, HookPoint | null>;
  dictionary: DataLoader<string, Dictionary | null>;
  unit: DataLoader<string, Unit | null>;
  hookPointsByModel: DataLoader<string, HookPoint[]>;
  dictionariesByModel: DataLoader<string, Dictionary[]>;
  dictionariesByHookPoint: DataLoader<string, Dictionary[]>;
  /** TOP band, by rank */
  topActivationsByUnit: DataLoader<string, TopActivationWithExample[]>;
  /** QUANTILE bands, by band then rank */
  quantileActivationsByUnit: DataLoader<string, TopActivationWithExample[]>;
}

export function createCatalogLoaders(prisma: PrismaClient): CatalogLoaders {
  const activations = (band: "TOP" | "QUANTILE") => new DataLoader<string, TopActivationWithExample[]>(async (unitIds) => {
    const rows = await prisma.topActivation.findMany({
      where: { unitId: { in: [...unitIds] }, band },
      orderBy: [{ bandIndex: "asc" }, { rank: "asc" }],
      include: { example: true },
    });
    return grouped(unitIds, rows, (r) => r.unitId);
  });
  return {
    model: byIds((ids) => prisma.model.findMany({ where: { id: { in: ids } } })),
    hookPoint: byIds((ids) => prisma.hookPoint.findMany({ where: { id: { in: ids } } })),
    dictionary: byIds((ids) => prisma.dictionary.findMany({ where: { id: { in: ids } } })),
    unit: byIds((ids) => prisma.unit.findMany({ where: { id: { in: ids } } })),
    hookPointsByModel: new DataLoader(async (modelIds) => grouped(modelIds,
      await prisma.hookPoint.findMany({ where: { modelId: { in: [...modelIds] } }, orderBy: [{ tower: "asc" }, { layer: "asc" }, { name: "asc" }] }), (r) => r.modelId)),
    dictionariesByModel: new DataLoader(async (modelIds) => grouped(modelIds,
      await prisma.dictionary.findMany({ where: { modelId: { in: [...modelIds] } }, orderBy: { name: "asc" } }), (r) => r.modelId)),
    dictionariesByHookPoint: new DataLoader(async (hookIds) => grouped(hookIds,
      await prisma.dictionary.findMany({ where: { hookPointId: { in: [...hookIds] } }, orderBy: { name: "asc" } }), (r) => r.hookPointId)),
    topActivationsByUnit: activations("TOP"),
    quantileActivationsByUnit: activations("QUANTILE"),
  };
}
