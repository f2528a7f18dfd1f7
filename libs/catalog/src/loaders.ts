// Per-request DataLoaders for catalog rows a page of units refers to (models, hook points, dictionaries and
// their build state, top activations with their examples, example images, units by id): one SQL query per kind per batch; models, hook points and
// dictionaries come from a short-lived process-wide cache (row-cache.ts), TOP activations from the unit-page
// cache when it is on (unit-page-cache.ts, UNIT_PAGE_CACHE_ENTRIES).
import DataLoader from "dataloader";
import type { ActivationBand, Dictionary, HookPoint, Model, PrismaClient, Unit } from "@mmatlas/db";
import { activationsByUnit, exampleImages, type TopActivationWithExample } from "./activations-query";
import { dictionaryBuilds, type DictionaryBuild } from "./dictionary-builds";
import { cacheTtlMs, createRowCache, type RowCache } from "./row-cache";
import { createUnitPageCache, readBuildStamp, unitPageCacheSettings, type UnitPageCache } from "./unit-page-cache";
import { neighboursLoader, type UnitNeighbourRow } from "./unit-neighbours";
import { ModelTokenizers } from "./example-tokens";

export type { ExampleSummary, TopActivationWithExample } from "./activations-query";

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
  /** unit count, build status and latest build job per dictionary (keyed by the dictionary row's id) */
  dictionaryBuild: DataLoader<Dictionary, DictionaryBuild, string>;
  /** TOP band, by rank */
  topActivationsByUnit: DataLoader<string, TopActivationWithExample[]>;
  /** QUANTILE bands, by band then rank */
  quantileActivationsByUnit: DataLoader<string, TopActivationWithExample[]>;
  /** image bytes by example id (only read when a page asks for an example's image) */
  exampleImage: DataLoader<string, Uint8Array | null>;
  /** similar units by `${NeighbourKind}:${unitId}`, by rank */
  neighbours: DataLoader<string, UnitNeighbourRow[]>;
  /** a text's tokens under a model's tokenizer, up to and including <eos> (null: no usable tokenizer) */
  textTokens: DataLoader<TextTokensKey, string[] | null, string>;
}

export interface TextTokensKey {
  modelId: string;
  text: string;
}

interface SharedCaches {
  model: RowCache<Model>;
  hookPoint: RowCache<HookPoint>;
  dictionary: RowCache<Dictionary>;
  /** TOP activations by unit (unit-page-cache.ts; off unless UNIT_PAGE_CACHE_ENTRIES is set) */
  topActivations: UnitPageCache<TopActivationWithExample[]>;
  /** each model's tokenizer (example-tokens.ts) */
  tokenizers: ModelTokenizers;
}
const sharedCaches = new WeakMap<PrismaClient, SharedCaches>();

/** The process-wide row caches of one database (see row-cache.ts). */
function cachesOf(prisma: PrismaClient): SharedCaches {
  let c = sharedCaches.get(prisma);
  if (!c) {
    const ttl = cacheTtlMs();
    c = {
      model: createRowCache(ttl),
      hookPoint: createRowCache(ttl),
      dictionary: createRowCache(ttl),
      topActivations: createUnitPageCache(unitPageCacheSettings(), () => readBuildStamp(prisma)),
      tokenizers: new ModelTokenizers((model, message) =>
        console.warn(`model ${model}: its tokenizer cannot be loaded, text examples show no tokens (${message})`),
      ),
    };
    sharedCaches.set(prisma, c);
  }
  return c;
}

function cachedByIds<T extends { id: string }>(cache: RowCache<T>, load: (ids: string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>((ids) => cache.get(ids, load));
}

export function createCatalogLoaders(prisma: PrismaClient): CatalogLoaders {
  const caches = cachesOf(prisma);
  const model = cachedByIds(caches.model, (ids) => prisma.model.findMany({ where: { id: { in: ids } } }));
  const activations = (band: ActivationBand) =>
    new DataLoader<string, TopActivationWithExample[]>((unitIds) => activationsByUnit(prisma, unitIds, band));
  return {
    model,
    hookPoint: cachedByIds(caches.hookPoint, (ids) => prisma.hookPoint.findMany({ where: { id: { in: ids } } })),
    dictionary: cachedByIds(caches.dictionary, (ids) => prisma.dictionary.findMany({ where: { id: { in: ids } } })),
    unit: byIds((ids) => prisma.unit.findMany({ where: { id: { in: ids } } })),
    hookPointsByModel: new DataLoader(async (modelIds) =>
      grouped(
        modelIds,
        await prisma.hookPoint.findMany({
          where: { modelId: { in: [...modelIds] } },
          orderBy: [{ tower: "asc" }, { layer: "asc" }, { name: "asc" }],
        }),
        (r) => r.modelId,
      ),
    ),
    dictionariesByModel: new DataLoader(async (modelIds) =>
      grouped(
        modelIds,
        await prisma.dictionary.findMany({ where: { modelId: { in: [...modelIds] } }, orderBy: { name: "asc" } }),
        (r) => r.modelId,
      ),
    ),
    dictionariesByHookPoint: new DataLoader(async (hookIds) =>
      grouped(
        hookIds,
        await prisma.dictionary.findMany({ where: { hookPointId: { in: [...hookIds] } }, orderBy: { name: "asc" } }),
        (r) => r.hookPointId,
      ),
    ),
    dictionaryBuild: new DataLoader<Dictionary, DictionaryBuild, string>((dicts) => dictionaryBuilds(prisma, dicts), {
      cacheKeyFn: (d) => d.id,
    }),
    topActivationsByUnit: new DataLoader((unitIds) =>
      caches.topActivations.get(unitIds, (missing) => activationsByUnit(prisma, missing, "TOP")),
    ),
    quantileActivationsByUnit: activations("QUANTILE"),
    exampleImage: new DataLoader<string, Uint8Array | null>((ids) => exampleImages(prisma, ids)),
    neighbours: neighboursLoader(prisma),
    textTokens: new DataLoader<TextTokensKey, string[] | null, string>(
      async (keys) => {
        const models = await model.loadMany([...new Set(keys.map((k) => k.modelId))]);
        const byId = new Map(models.flatMap((m) => (m && !(m instanceof Error) ? [[m.id, m] as const] : [])));
        return keys.map((k) => {
          const m = byId.get(k.modelId);
          return m ? caches.tokenizers.tokensOf(m, k.text) : null;
        });
      },
      { cacheKeyFn: (k) => `${k.modelId}\n${k.text}` },
    ),
  };
}
