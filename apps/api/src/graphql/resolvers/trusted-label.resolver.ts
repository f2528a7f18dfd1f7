// Unit.trustedLabel over GraphQL (transport only; the rule is @mmatlas/labeling trustedLabelOf) and
// LabelCandidate.scores. The model's Krippendorff's α is computed once per request and model.
import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { autoLabelsOf } from "@mmatlas/builder";
import type { Unit } from "@mmatlas/db";
import { scopeLabelAgreement, scoreOfLabel, trustedLabelOfUnit } from "@mmatlas/labeling";
import type { ApiContext } from "../../context";
import { UnitType } from "../types/catalog";
import { LabelScoreType } from "../types/label-scores";
import { LabelCandidateType, TrustedLabelType } from "../types/trusted-label";

const alphaByRequest = new WeakMap<ApiContext, Map<string, Promise<number | null>>>();

function alphaOfModel(ctx: ApiContext, modelId: string): Promise<number | null> {
  let byModel = alphaByRequest.get(ctx);
  if (!byModel) alphaByRequest.set(ctx, (byModel = new Map()));
  let alpha = byModel.get(modelId);
  if (!alpha) byModel.set(modelId, (alpha = scopeLabelAgreement(ctx.prisma, { modelId }).then((a) => a.alpha)));
  return alpha;
}

@Resolver(() => UnitType)
export class UnitTrustedLabelResolver {
  @FieldResolver(() => TrustedLabelType, {
    description:
      "the label to trust, from reviewer decisions, annotators' votes and agreement, and explanation scores (rule in the type's description and docs/architecture.md)",
  })
  async trustedLabel(@Root() unit: Unit, @Ctx() ctx: ApiContext): Promise<TrustedLabelType> {
    const autoLabels = autoLabelsOf(unit.autoLabels).map((l) => ({ label: l.label, method: l.method ?? "unknown" }));
    const t = await trustedLabelOfUnit(ctx.prisma, unit.id, autoLabels, await alphaOfModel(ctx, unit.modelId));
    return { ...t, candidates: t.candidates.map((c) => ({ ...c, unitId: unit.id })) };
  }
}

@Resolver(() => LabelCandidateType)
export class LabelCandidateScoresResolver {
  @FieldResolver(() => LabelScoreType, {
    nullable: true,
    description: "the candidate's explanation scores (null: not scored yet)",
  })
  async scores(@Root() candidate: LabelCandidateType, @Ctx() ctx: ApiContext) {
    if (!candidate.unitId) return null;
    return scoreOfLabel(await ctx.loaders.labeling.labelScoresByUnit.load(candidate.unitId), candidate.label);
  }
}
