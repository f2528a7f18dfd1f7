// Labeling workbench reads: a model's labeling progress per unit set, the signed-in annotator's next unit
// to label, and label agreement per unit and per model / hook point. Rules live in @mmatlas/catalog and
// @mmatlas/labeling.
import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import { unitSetProgress } from "@mmatlas/catalog";
import type { Model, Unit } from "@mmatlas/db";
import { nextUnitToLabel, scopeLabelAgreement, unitLabelAgreement } from "@mmatlas/labeling";
import type { ApiContext } from "../../context";
import { QueueOrder } from "../types/label-scores";
import { ModelType, UnitType } from "../types/catalog";
import {
  LabelAgreementType,
  LabelQueueItemType,
  LabelQueueScopeInput,
  UnitLabelAgreementType,
  UnitSetProgressType,
} from "../types/workbench";

@Resolver()
export class WorkbenchQueryResolver {
  @Query(() => LabelQueueItemType, {
    description:
      "your next unit to label: unlabeled first, then disputed; units you annotated and `skip` ids are left out (≤ 500)",
  })
  labelQueue(
    @Ctx() ctx: ApiContext,
    @Arg("scope", () => LabelQueueScopeInput, { nullable: true }) scope?: LabelQueueScopeInput | null,
    @Arg("skip", () => [ID], { nullable: true }) skip?: string[] | null,
    @Arg("order", () => QueueOrder, {
      nullable: true,
      description: "CATALOG (default) or LOW_SCORE_FIRST: units whose best label scores lowest first",
    })
    order?: keyof typeof QueueOrder | null,
  ) {
    return nextUnitToLabel(ctx.prisma, ctx.actor, { ...(scope ?? {}) }, skip, order ?? "CATALOG");
  }

  @Query(() => LabelAgreementType, {
    description: "inter-annotator agreement (Krippendorff's α) over a model or a hook point, or everything",
  })
  labelAgreement(
    @Ctx() ctx: ApiContext,
    @Arg("modelId", () => ID, { nullable: true, description: "model id or name" }) modelId?: string | null,
    @Arg("hookPointId", () => ID, { nullable: true }) hookPointId?: string | null,
  ) {
    return scopeLabelAgreement(ctx.prisma, { modelId, hookPointId });
  }
}

@Resolver(() => ModelType)
export class ModelProgressResolver {
  @FieldResolver(() => [UnitSetProgressType], {
    description: "labeling progress per unit set (hook point × SAE × kind)",
  })
  labelingProgress(@Root() model: Model, @Ctx() ctx: ApiContext) {
    return unitSetProgress(ctx.prisma, model.id);
  }
}

@Resolver(() => UnitType)
export class UnitAgreementResolver {
  @FieldResolver(() => UnitLabelAgreementType, { description: "agreement of annotators' labels on this unit" })
  labelAgreement(@Root() unit: Unit, @Ctx() ctx: ApiContext) {
    return unitLabelAgreement(ctx.prisma, unit.id);
  }
}
