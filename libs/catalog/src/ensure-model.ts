// Registers a model from its manifest only when the database holds no model of that name: one indexed read when
// it is there, so every `npm run atlas` command can run it to make the built-in model a valid target on a fresh
// database. `npm start` re-registers in full on every start (registerModelFromManifest), picking up manifest edits.
import type { PrismaClient } from "@mmatlas/db";
import { AppError } from "@mmatlas/errors";
import { loadModelManifest } from "@mmatlas/inference";
import { registerModelFromManifest, type RegisteredModel } from "./register-model";

/** The registration when it happened, null when a model of the manifest's name was already registered. */
export async function ensureModelRegistered(
  prisma: PrismaClient,
  manifestPath: string,
): Promise<RegisteredModel | null> {
  let name: string;
  try {
    name = loadModelManifest(manifestPath).manifest.name;
  } catch (e) {
    throw AppError.badInput((e as Error).message, "manifestPath");
  }
  if (await prisma.model.findUnique({ where: { name }, select: { id: true } })) return null;
  return registerModelFromManifest(prisma, manifestPath);
}
