// Loads what the trust rule (trusted-label.ts) needs for one unit: its proposed/accepted annotations with votes
// and its label scores; the caller passes the unit's auto-labels and its model's Krippendorff's α.
import type { PrismaClient } from "@mmatlas/db";
import { trustedLabelOf, type TrustedLabel } from "./trusted-label";

export async function trustedLabelOfUnit(
  prisma: Pick<PrismaClient, "annotation" | "labelScore">,
  unitId: string,
  autoLabels: readonly { label: string; method: string }[],
  alpha: number | null,
): Promise<TrustedLabel> {
  const [annotations, scores] = await Promise.all([
    prisma.annotation.findMany({
      where: { unitId, status: { in: ["PROPOSED", "ACCEPTED"] } },
      select: { authorId: true, label: true, status: true, voteScore: true, updatedAt: true },
    }),
    prisma.labelScore.findMany({ where: { unitId }, select: { labelKey: true, detectionAuroc: true } }),
  ]);
  return trustedLabelOf({ annotations, autoLabels, scores, alpha });
}
