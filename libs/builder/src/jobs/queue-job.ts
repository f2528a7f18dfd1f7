// The Job row every job kind is queued as (QUEUED, its checked parameters, who asked), and the check the jobs that
// take a list of units share: every id names a unit of the job's model.
import type { Job, JobKind, Prisma, PrismaClient } from "@mmatlas/db";
import { AppError } from "@mmatlas/errors";

/** Inserts a QUEUED job of `kind` with its (already checked) parameters. */
export function queueJob(
  prisma: Pick<PrismaClient, "job">,
  kind: JobKind,
  params: object,
  userId?: string | null,
): Promise<Job> {
  return prisma.job.create({
    data: {
      kind,
      status: "QUEUED",
      params: params as unknown as Prisma.InputJsonValue,
      createdById: userId ?? null,
    },
  });
}

/** Throws BAD_USER_INPUT (field unitIds) unless every id names a unit of the model. */
export async function assertUnitsOfModel(prisma: PrismaClient, unitIds: string[], modelId: string): Promise<void> {
  const found = await prisma.unit.count({ where: { id: { in: unitIds }, modelId } });
  if (found !== unitIds.length)
    throw AppError.badInput("unitIds name units that do not exist or belong to another model", "unitIds");
}
