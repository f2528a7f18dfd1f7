// Label explanation scores over GraphQL (transport only; scoring in @mmatlas/builder, reads in @mmatlas/labeling):
// Unit.labelScores / Unit.bestLabel, AutoLabel.scores, Annotation.scores, and the scoreLabels mutation (queues a
// SCORE_LABELS job: a few units for anyone who may annotate, a whole model for job.manage).
import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import { assertCan } from "@mmatlas/auth";
import { createScoreLabelsJob, jobProgressTopic, progressOfJob } from "@mmatlas/builder";
import type { Annotation, Unit } from "@mmatlas/db";
import { AppError } from "@mmatlas/errors";
import { bestLabelOf, scoreOfLabel } from "@mmatlas/labeling";
import type { ApiContext } from "../../context";
import { AutoLabelType, UnitType } from "../types/catalog";
import { JobType } from "../types/jobs";
import { AnnotationType } from "../types/labeling";
import { BestLabelType, LabelScoreType, ScoreLabelsInput } from "../types/label-scores";
import { toJobType } from "./jobs.resolver";

/** units an annotator may rescore in one request */
const ANNOTATOR_UNITS_MAX = 100;

/** an auto-label as resolved by Unit.autoLabels, with its unit (not a GraphQL field) */
export type AutoLabelOfUnit = AutoLabelType & { unitId?: string };

@Resolver(() => UnitType)
export class UnitLabelScoresResolver {
  @FieldResolver(() => [LabelScoreType], {
    description: "scores of the unit's labels (auto-labels and annotations), best detection AUROC first",
  })
  labelScores(@Root() unit: Unit, @Ctx() ctx: ApiContext) {
    return ctx.loaders.labeling.labelScoresByUnit.load(unit.id);
  }

  @FieldResolver(() => BestLabelType, {
    nullable: true,
    description:
      "best label by score (rule in docs/architecture.md); unscored: current annotation label, else top auto-label",
  })
  bestLabel(@Root() unit: Unit): BestLabelType | null {
    return bestLabelOf(unit);
  }
}

@Resolver(() => AutoLabelType)
export class AutoLabelScoresResolver {
  @FieldResolver(() => LabelScoreType, {
    nullable: true,
    description: "the label's explanation scores for its unit (null: not scored yet)",
  })
  async scores(@Root() label: AutoLabelOfUnit, @Ctx() ctx: ApiContext) {
    if (!label.unitId) return null;
    return scoreOfLabel(await ctx.loaders.labeling.labelScoresByUnit.load(label.unitId), label.label);
  }
}

@Resolver(() => AnnotationType)
export class AnnotationScoresResolver {
  @FieldResolver(() => LabelScoreType, {
    nullable: true,
    description:
      "the label's explanation scores for its unit (null: not scored yet; rescored a few seconds after an edit)",
  })
  async scores(@Root() annotation: Annotation, @Ctx() ctx: ApiContext) {
    return scoreOfLabel(await ctx.loaders.labeling.labelScoresByUnit.load(annotation.unitId), annotation.label);
  }
}

@Resolver()
export class LabelScoresMutationResolver {
  @Mutation(() => JobType, {
    description: "queue a SCORE_LABELS job: given units (≤ 100, annotation.create) or a whole model (job.manage)",
  })
  async scoreLabels(
    @Arg("input", () => ScoreLabelsInput) input: ScoreLabelsInput,
    @Ctx() ctx: ApiContext,
  ): Promise<JobType> {
    const unitIds = input.unitIds ?? null;
    if (unitIds && unitIds.length <= ANNOTATOR_UNITS_MAX) assertCan(ctx.actor, "annotation.create");
    else assertCan(ctx.actor, "job.manage");
    if (unitIds && unitIds.length === 0) throw AppError.badInput("unitIds must not be empty", "unitIds");
    const job = await createScoreLabelsJob(ctx.prisma, { modelId: input.modelId, unitIds }, ctx.actor.userId);
    await ctx.jobs.progress.publish(jobProgressTopic(job.id), progressOfJob(job));
    await ctx.jobs.queue?.enqueue(job.id);
    return toJobType(job);
  }
}
