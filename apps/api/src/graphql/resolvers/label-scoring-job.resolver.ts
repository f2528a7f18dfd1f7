// Model.latestLabelScoringJob (transport only; the lookup is @mmatlas/builder's latestLabelScoringJob): the
// SCORE_LABELS job of a model to follow on the model page — the one running or queued (a succeeded build queues
// one; the scoreLabels mutation another), else the latest. Needs a signed-in caller, like Dictionary.latestBuildJob.
import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { assertCan } from "@mmatlas/auth";
import { latestLabelScoringJob } from "@mmatlas/builder";
import type { Model } from "@mmatlas/db";
import type { ApiContext } from "../../context";
import { ModelType } from "../types/catalog";
import { JobType } from "../types/jobs";
import { toJobType } from "./jobs.resolver";

@Resolver(() => ModelType)
export class ModelLabelScoringJobResolver {
  @FieldResolver(() => JobType, {
    nullable: true,
    description:
      "the model's running or queued label-scoring (SCORE_LABELS) job, else its latest one (follow it with jobProgress); needs a signed-in caller",
  })
  async latestLabelScoringJob(@Root() model: Model, @Ctx() ctx: ApiContext): Promise<JobType | null> {
    assertCan(ctx.actor, "read");
    const job = await latestLabelScoringJob(ctx.prisma, model.id);
    return job ? toJobType(job) : null;
  }
}
