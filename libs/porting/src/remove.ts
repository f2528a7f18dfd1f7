// Removes a dictionary (SAE) or a whole model: the rows (units, their activations, labels and comments go with
// them by cascade) and the files that import copied into DATA_DIR, together. Folders are moved aside first and
// deleted only after the database transaction committed, so a failure leaves both as they were. Files outside
// DATA_DIR (the built-in model's committed assets) are never deleted. Refused while a build of the model is
// queued or running.
import { existsSync } from "node:fs";
import path from "node:path";
import {
  countUnitsAndAnnotations,
  dictionaryFolder,
  forgetResolvedRefs,
  modelDirectory,
  resolveModelId,
  type UnitAndLabelCounts,
} from "@mmatlas/catalog";
import type { Model, PrismaClient } from "@mmatlas/db";
import { AppError } from "@mmatlas/errors";
import { dataDir, isInside, safeName } from "./data-dir";
import { setAside, type PlacedFolder } from "./place-folder";

/** units and the annotations (human labels) on them */
export type RemovedUnits = UnitAndLabelCounts;

export interface RemoveResult extends RemovedUnits {
  /** what was removed: "dictionary" or "model" */
  kind: "dictionary" | "model";
  name: string;
  /** folders deleted from DATA_DIR */
  deletedFolders: string[];
  /** dictionaries removed with a model */
  dictionaries: number;
}

async function findModel(prisma: PrismaClient, nameOrId: string): Promise<Model> {
  const model = await prisma.model.findUnique({ where: { id: await resolveModelId(prisma, nameOrId, "model") } });
  if (!model) throw AppError.notFound("Model", nameOrId);
  return model;
}

/** "ATLAS_BUILD" → "atlas build", for messages */
function jobKindWords(kind: string): string {
  return kind.toLowerCase().replace(/_/g, " ");
}

async function assertNoActiveBuild(prisma: PrismaClient, model: Model): Promise<void> {
  const active = await prisma.job.findMany({
    where: { status: { in: ["QUEUED", "RUNNING"] } },
    select: { id: true, kind: true, params: true },
  });
  const busy = active.find((j) => (j.params as { modelId?: unknown } | null)?.modelId === model.id);
  if (busy)
    throw AppError.conflict(
      `a ${jobKindWords(busy.kind)} job of model ${model.name} is queued or running (job ${busy.id}); cancel it or wait for it to end`,
      { id: busy.id },
    );
}

/** Moves aside the folders under DATA_DIR; the returned handles delete or restore them. */
function setAsideInDataDir(folders: string[], root: string): PlacedFolder[] {
  const placed: PlacedFolder[] = [];
  try {
    for (const f of new Set(folders))
      if (existsSync(f) && isInside(f, root) && path.resolve(f) !== path.resolve(root)) placed.push(setAside(f));
  } catch (e) {
    for (const p of placed.reverse()) p.rollback();
    throw e;
  }
  return placed;
}

async function withFoldersAside<T>(
  folders: string[],
  root: string,
  work: () => Promise<T>,
): Promise<{ result: T; deleted: string[] }> {
  const placed = setAsideInDataDir(folders, root);
  try {
    const result = await work();
    for (const p of placed) p.commit();
    return { result, deleted: placed.map((p) => p.target) };
  } catch (e) {
    for (const p of placed.reverse()) p.rollback();
    throw e;
  }
}

export async function removeDictionary(
  prisma: PrismaClient,
  modelNameOrId: string,
  name: string,
  opts: { dataDir?: string } = {},
): Promise<RemoveResult> {
  const model = await findModel(prisma, modelNameOrId);
  const dictionary = await prisma.dictionary.findUnique({ where: { modelId_name: { modelId: model.id, name } } });
  if (!dictionary) throw AppError.notFound("Dictionary", name);
  await assertNoActiveBuild(prisma, model);
  const root = opts.dataDir ?? dataDir();
  const { result, deleted } = await withFoldersAside([dictionaryFolder(model, dictionary)], root, () =>
    prisma.$transaction(
      async (tx) => {
        const counts = await countUnitsAndAnnotations(tx, { dictionaryId: dictionary.id });
        await tx.dictionary.delete({ where: { id: dictionary.id } });
        return counts;
      },
      { timeout: 120_000 },
    ),
  );
  return { kind: "dictionary", name, ...result, dictionaries: 1, deletedFolders: deleted };
}

export async function removeModel(
  prisma: PrismaClient,
  nameOrId: string,
  opts: { dataDir?: string } = {},
): Promise<RemoveResult> {
  const model = await findModel(prisma, nameOrId);
  await assertNoActiveBuild(prisma, model);
  const root = opts.dataDir ?? dataDir();
  const dictionaries = await prisma.dictionary.findMany({ where: { modelId: model.id } });
  const folders = [
    ...dictionaries.map((d) => dictionaryFolder(model, d)),
    path.join(root, "saes", safeName(model.name)),
    modelDirectory(model),
  ];
  const { result, deleted } = await withFoldersAside(folders, root, () =>
    prisma.$transaction(
      async (tx) => {
        const counts = await countUnitsAndAnnotations(tx, { modelId: model.id });
        await tx.model.delete({ where: { id: model.id } });
        return counts;
      },
      { timeout: 300_000 },
    ),
  );
  forgetResolvedRefs(prisma);
  return { kind: "model", name: model.name, ...result, dictionaries: dictionaries.length, deletedFolders: deleted };
}
