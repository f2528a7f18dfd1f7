// The two labelling "methods" the trusted-labels work adds, read from the database for eval:methods, per unit:
//   best-score  the label the explanation scorer ranks first (@mmatlas/labeling bestLabelOf, basis "score":
//               the highest detection AUROC among the unit's auto-labels and proposed / accepted annotations);
//               a unit with no scored label gets none (not the fallback label the page shows)
//   trusted     the unit's trusted label (@mmatlas/labeling trustedLabelOfUnit, as Unit.trustedLabel over
//               GraphQL, with the model's Krippendorff's α); none when the rule trusts nothing yet
import { bestLabelOf, scopeLabelAgreement, trustedLabelOfUnit } from "@mmatlas/labeling";
import type { TopLabel } from "@mmatlas/atlas";
import type { PrismaClient } from "@mmatlas/db";
import { autoLabelsOf } from "../finalize/stored-stats";

export const SCORED_LABEL_METHODS = { bestScore: "best-score", trusted: "trusted" } as const;

export interface ScoredLabelMethods {
  /** unit id → { "best-score": …, trusted: … } */
  labels: Map<string, Record<string, TopLabel | null>>;
  /** units of each trusted-label source (accepted / consensus / score / none) */
  trustedSources: Record<string, number>;
  /** units with a scored best label */
  scored: number;
  alpha: number | null;
}

export async function scoredLabelMethods(
  prisma: PrismaClient,
  modelId: string,
  unitIds: readonly string[],
): Promise<ScoredLabelMethods> {
  const { alpha } = await scopeLabelAgreement(prisma, { modelId });
  const labels = new Map<string, Record<string, TopLabel | null>>();
  const trustedSources: Record<string, number> = {};
  let scored = 0;
  const chunk = 64;
  for (let i = 0; i < unitIds.length; i += chunk) {
    const units = await prisma.unit.findMany({
      where: { id: { in: unitIds.slice(i, i + chunk) } },
      select: {
        id: true,
        autoLabels: true,
        bestScoredLabel: true,
        bestLabelScore: true,
        currentLabel: true,
        topAutoLabel: true,
      },
    });
    const trusted = await Promise.all(
      units.map((u) =>
        trustedLabelOfUnit(
          prisma,
          u.id,
          autoLabelsOf(u.autoLabels).map((l) => ({ label: l.label, method: l.method ?? "unknown" })),
          alpha,
        ),
      ),
    );
    units.forEach((u, k) => {
      const best = bestLabelOf(u);
      const t = trusted[k];
      if (best?.basis === "score") scored++;
      trustedSources[t.source] = (trustedSources[t.source] ?? 0) + 1;
      labels.set(u.id, {
        [SCORED_LABEL_METHODS.bestScore]:
          best?.basis === "score" ? { concept: best.label, score: best.score ?? 0 } : null,
        [SCORED_LABEL_METHODS.trusted]: t.label === null ? null : { concept: t.label, score: 1 },
      });
    });
  }
  return { labels, trustedSources, scored, alpha };
}
