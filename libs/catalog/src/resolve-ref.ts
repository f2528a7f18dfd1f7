// Models and datasets named by name or id (GraphQL arguments and filters, CLI options) resolved to their ids, in
// one place: every reader that takes a modelId or datasetId calls these. An id wins over a name when both match.
// Resolved references are kept in a process-wide cache with the catalog row cache's TTL (row-cache.ts); unknown
// references are not cached and give NOT_FOUND, so a typo fails loudly instead of matching nothing.
import type { PrismaClient } from "@mmatlas/db";
import { AppError } from "@mmatlas/errors";
import { cacheTtlMs, createRowCache, type RowCache } from "./row-cache";

type Ref = { id: string; target: string };
interface RefCaches {
  model: RowCache<Ref>;
  dataset: RowCache<Ref>;
}
const caches = new WeakMap<PrismaClient, RefCaches>();

function cachesOf(prisma: PrismaClient): RefCaches {
  let c = caches.get(prisma);
  if (!c) {
    const ttl = cacheTtlMs();
    c = { model: createRowCache(ttl), dataset: createRowCache(ttl) };
    caches.set(prisma, c);
  }
  return c;
}

type Find = (ref: string) => Promise<{ id: string }[]>;

async function resolve(cache: RowCache<Ref>, find: Find, what: string, ref: unknown, field: string): Promise<string> {
  if (typeof ref !== "string" || !ref.trim())
    throw AppError.badInput(`${field} must be a ${what.toLowerCase()} name or id`, field);
  const [hit] = await cache.get([ref], async () => {
    const rows = await find(ref);
    const row = rows.find((r) => r.id === ref) ?? rows[0];
    return row ? [{ id: ref, target: row.id }] : [];
  });
  if (!hit) throw AppError.notFound(what, ref);
  return hit.target;
}

/** The id of the model named `nameOrId` (its id or its name); NOT_FOUND when there is none. */
export function resolveModelId(prisma: PrismaClient, nameOrId: string, field = "modelId"): Promise<string> {
  const find: Find = (ref) =>
    prisma.model.findMany({ where: { OR: [{ id: ref }, { name: ref }] }, select: { id: true }, take: 2 });
  return resolve(cachesOf(prisma).model, find, "Model", nameOrId, field);
}

/** The id of the dataset named `nameOrId` (its id or its name); NOT_FOUND when there is none. */
export function resolveDatasetId(prisma: PrismaClient, nameOrId: string, field = "datasetId"): Promise<string> {
  const find: Find = (ref) =>
    prisma.dataset.findMany({ where: { OR: [{ id: ref }, { name: ref }] }, select: { id: true }, take: 2 });
  return resolve(cachesOf(prisma).dataset, find, "Dataset", nameOrId, field);
}

/** `filter` with its optional `modelId` (a model name or id) replaced by the model's id; unchanged when absent. */
export async function withModelId<F extends { modelId?: string | null }>(prisma: PrismaClient, filter: F): Promise<F> {
  if (filter.modelId == null || filter.modelId === "") return filter;
  return { ...filter, modelId: await resolveModelId(prisma, filter.modelId) };
}

/** Drops the resolved references of a database client (after a model or dataset is removed or replaced). */
export function forgetResolvedRefs(prisma: PrismaClient): void {
  caches.delete(prisma);
}
