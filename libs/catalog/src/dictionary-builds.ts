// Build state of SAE dictionaries: how many units are stored for each, whether an atlas build that includes it
// is queued or running, when one last succeeded, and the build job a page should follow. A build job counts for
// a dictionary when it is an ATLAS_BUILD of the dictionary's model whose params name the dictionary and was
// created after the dictionary's weights were last set (its updatedAt, else createdAt): a job from before a
// replacing re-import built another SAE of the same name.
import type { Dictionary, Job, PrismaClient } from "@mmatlas/db";

export type DictionaryBuildStatus = "NOT_BUILT" | "BUILDING" | "BUILT";
export const DICTIONARY_BUILD_STATUSES = [
  "NOT_BUILT",
  "BUILDING",
  "BUILT",
] as const satisfies readonly DictionaryBuildStatus[];

/** A job row without its (possibly large) checkpoint. */
export type BuildJobRow = Omit<Job, "checkpoint">;

export interface DictionaryBuild {
  dictionaryId: string;
  /** units stored for the dictionary (SAE features) */
  unitCount: number;
  /** BUILDING while a build including it is queued or running; else BUILT when it has units; else NOT_BUILT */
  status: DictionaryBuildStatus;
  /** when the latest successful build including it finished (null: none recorded) */
  builtAt: Date | null;
  /** the queued or running build including it, else the most recent one (null: never built by a job) */
  latestJob: BuildJobRow | null;
}

type DictionaryKey = Pick<Dictionary, "id" | "modelId" | "name" | "createdAt"> & { updatedAt?: Date | null };

const ACTIVE = new Set(["QUEUED", "RUNNING"]);

function paramsOf(job: BuildJobRow): { modelId?: unknown; dictionaries?: unknown } {
  return job.params && typeof job.params === "object" && !Array.isArray(job.params)
    ? (job.params as Record<string, unknown>)
    : {};
}

/** Whether `job` is a build of `dict` (same model, names it, created since the dictionary's weights were set). */
export function isBuildOf(job: BuildJobRow, dict: DictionaryKey): boolean {
  const p = paramsOf(job);
  const since = (dict.updatedAt ?? dict.createdAt).getTime();
  return (
    job.kind === "ATLAS_BUILD" &&
    p.modelId === dict.modelId &&
    Array.isArray(p.dictionaries) &&
    p.dictionaries.includes(dict.name) &&
    job.createdAt.getTime() >= since
  );
}

/** Pure: the build state of one dictionary from its unit count and its build jobs (any order). */
export function dictionaryBuildOf(
  dict: DictionaryKey,
  unitCount: number,
  jobs: readonly BuildJobRow[],
): DictionaryBuild {
  const own = jobs
    .filter((j) => isBuildOf(j, dict))
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
  const active = own.find((j) => ACTIVE.has(j.status));
  const succeeded = own.find((j) => j.status === "SUCCEEDED");
  return {
    dictionaryId: dict.id,
    unitCount,
    status: active ? "BUILDING" : unitCount > 0 ? "BUILT" : "NOT_BUILT",
    builtAt: succeeded?.finishedAt ?? null,
    latestJob: active ?? own[0] ?? null,
  };
}

/** Build states of several dictionaries, in their order: one grouped unit count and one job query. */
export async function dictionaryBuilds(
  prisma: PrismaClient,
  dicts: readonly DictionaryKey[],
): Promise<DictionaryBuild[]> {
  if (dicts.length === 0) return [];
  const [counts, jobs] = await Promise.all([
    prisma.unit.groupBy({
      by: ["dictionaryId"],
      where: { dictionaryId: { in: dicts.map((d) => d.id) } },
      _count: { _all: true },
    }),
    prisma.job.findMany({
      where: {
        kind: "ATLAS_BUILD",
        OR: dicts.map((d) => ({
          AND: [
            { params: { path: ["modelId"], equals: d.modelId } },
            { params: { path: ["dictionaries"], array_contains: [d.name] } },
          ],
        })),
      },
      omit: { checkpoint: true },
    }),
  ]);
  const countOf = new Map(counts.map((c) => [c.dictionaryId, c._count._all]));
  return dicts.map((d) => dictionaryBuildOf(d, countOf.get(d.id) ?? 0, jobs));
}
