// Feature visualization over GraphQL (transport only; optimisation and reads in @mmatlas/builder feature-vis):
// Unit.featureVisualization and the visualizeUnit mutation (queues a FEATURE_VISUALIZATION job for one unit; for
// anyone who may annotate, one pending job per unit, a few pending requests per user).
import { Arg, Ctx, Extensions, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import { assertCan } from "@mmatlas/auth";
import {
  jobProgressTopic,
  progressOfJob,
  readUnitFeatureVisualization,
  requestUnitVisualization,
} from "@mmatlas/builder";
import type { Unit } from "@mmatlas/db";
import type { FieldCost } from "@mmatlas/query-guard";
import type { ApiContext } from "../../context";
import { UnitType } from "../types/catalog";
import { FeatureVisualizationType } from "../types/feature-vis";
import { JobType } from "../types/jobs";
import { toJobType } from "./jobs.resolver";

@Resolver(() => UnitType)
export class UnitFeatureVisualizationResolver {
  @FieldResolver(() => FeatureVisualizationType, {
    description: "an input image optimised to maximise the unit, or why there is none",
  })
  @Extensions({ queryCost: { cost: 10 } satisfies FieldCost }) // an image payload: priced like 10 rows
  async featureVisualization(@Root() unit: Unit, @Ctx() ctx: ApiContext): Promise<FeatureVisualizationType> {
    const fv = await readUnitFeatureVisualization(ctx.prisma, unit.id);
    return {
      ...fv,
      imageDataUrl: fv.png ? `data:image/png;base64,${Buffer.from(fv.png).toString("base64")}` : null,
      ratioToDatasetMax:
        fv.activation !== null && fv.datasetMax !== null && fv.datasetMax > 0 ? fv.activation / fv.datasetMax : null,
    };
  }
}

@Resolver()
export class FeatureVisualizationMutationResolver {
  @Mutation(() => JobType, {
    description:
      "queue the feature visualization of one image unit (annotation.create); returns the pending job when one already covers the unit; UNAVAILABLE for units that cannot be visualized, RATE_LIMITED past 2 pending requests per user",
  })
  async visualizeUnit(@Arg("unitId", () => ID) unitId: string, @Ctx() ctx: ApiContext): Promise<JobType> {
    assertCan(ctx.actor, "annotation.create");
    const { job, created } = await requestUnitVisualization(ctx.prisma, unitId, ctx.actor.userId ?? null);
    if (created) {
      await ctx.jobs.progress.publish(jobProgressTopic(job.id), progressOfJob(job));
      await ctx.jobs.queue?.enqueue(job.id);
    }
    return toJobType(job);
  }
}
