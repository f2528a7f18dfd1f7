// Model, hook point, dictionary and dataset reads (small tables: plain lists, NOT_FOUND for unknown ids).
import { AppError } from "@mmatlas/errors";
import type { Dataset, Model, PrismaClient } from "@mmatlas/db";
import { resolveDatasetId, resolveModelId } from "./resolve-ref";

export const listModels = (prisma: PrismaClient) => prisma.model.findMany({ orderBy: [{ name: "asc" }] });

/** A model by id or name. */
export async function getModel(prisma: PrismaClient, idOrName: string): Promise<Model> {
  const model = await prisma.model.findUnique({ where: { id: await resolveModelId(prisma, idOrName, "id") } });
  if (!model) throw AppError.notFound("Model", idOrName);
  return model;
}

export const listDatasets = (prisma: PrismaClient) => prisma.dataset.findMany({ orderBy: [{ name: "asc" }] });

/** A dataset by id or name. */
export async function getDataset(prisma: PrismaClient, idOrName: string): Promise<Dataset> {
  const dataset = await prisma.dataset.findUnique({ where: { id: await resolveDatasetId(prisma, idOrName, "id") } });
  if (!dataset) throw AppError.notFound("Dataset", idOrName);
  return dataset;
}
