// TextSpan head decomposition over GraphQL (transport only; the method in @mmatlas/builder head-decomposition):
// Unit.headDecomposition (null for units that are not attention heads), Query.headDecompositions (a model's heads
// ranked by share) and the runHeadDecomposition mutation (queues a HEAD_DECOMPOSITION job, job.manage).
import { Arg, Ctx, Extensions, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { assertCan } from "@mmatlas/auth";
import {
  createHeadDecompositionJob,
  jobProgressTopic,
  modelHeadDecompositionSupport,
  progressOfJob,
  readModelHeadDecompositions,
  readUnitHeadDecomposition,
  type StoredHeadDecomposition,
} from "@mmatlas/builder";
import { resolveModelId } from "@mmatlas/catalog";
import type { Unit } from "@mmatlas/db";
import type { FieldCost } from "@mmatlas/query-guard";
import type { ApiContext } from "../../context";
import { UnitType } from "../types/catalog";
import { JobType } from "../types/jobs";
import { HeadDecompositionType } from "../types/head-decomposition";
import { toJobType } from "./jobs.resolver";
import { found } from "./catalog.resolver";

const empty = {
  computed: false,
  unitId: null,
  layer: null,
  head: null,
  share: null,
  rank: null,
  heads: null,
  meanNorm: null,
  texts: [],
  ablation: [],
  sampleSize: null,
  datasetId: null,
  datasetName: null,
  jobId: null,
  version: null,
  computedAt: null,
};

function toType(read: StoredHeadDecomposition): HeadDecompositionType {
  return { ...read, available: true, reasonCode: null, reason: null, computed: true };
}

@Resolver(() => UnitType)
export class UnitHeadDecompositionResolver {
  @FieldResolver(() => HeadDecompositionType, {
    nullable: true,
    description:
      "TextSpan decomposition of an attention head: share of the image embedding, concept texts, mean-ablation " +
      "(null for units that are not attention heads; available=false with a reason where the method cannot run)",
  })
  @Extensions({ queryCost: { cost: 5 } satisfies FieldCost })
  async headDecomposition(@Root() unit: Unit, @Ctx() ctx: ApiContext): Promise<HeadDecompositionType | null> {
    if (unit.kind !== "ATTENTION_HEAD") return null;
    const [model, hookPoint] = await Promise.all([
      ctx.loaders.catalog.model.load(unit.modelId),
      ctx.loaders.catalog.hookPoint.load(unit.hookPointId),
    ]);
    const m = found(model, "Model", unit.modelId);
    const hp = found(hookPoint, "HookPoint", unit.hookPointId);
    const support = modelHeadDecompositionSupport(m, { kind: unit.kind, tower: hp.tower });
    if (!support.available)
      return {
        ...empty,
        available: false,
        reasonCode: support.code,
        reason: support.reason,
        layer: hp.layer,
        head: unit.index,
      };
    const read = await readUnitHeadDecomposition(ctx.prisma, unit.id);
    if (!read)
      return {
        ...empty,
        available: true,
        reasonCode: null,
        reason: null,
        unitId: unit.id,
        layer: hp.layer,
        head: unit.index,
      };
    return toType(read);
  }
}

@Resolver()
export class HeadDecompositionQueryResolver {
  @Query(() => [HeadDecompositionType], {
    description: "a model's decomposed vision heads, largest share of the image embedding first",
  })
  @Extensions({ queryCost: { cost: 20 } satisfies FieldCost })
  async headDecompositions(
    @Arg("modelId", () => ID, { description: "model id or name" }) modelRef: string,
    @Ctx() ctx: ApiContext,
  ): Promise<HeadDecompositionType[]> {
    const modelId = await resolveModelId(ctx.prisma, modelRef);
    return (await readModelHeadDecompositions(ctx.prisma, modelId)).map(toType);
  }

  @Mutation(() => JobType, {
    description:
      "queue a HEAD_DECOMPOSITION job (job.manage): TextSpan decomposition of every vision head of the model over " +
      "the first sampleSize (default 512) images of the dataset; refused with the reason when unavailable",
  })
  async runHeadDecomposition(
    @Arg("modelId", () => ID) modelId: string,
    @Arg("datasetId", () => ID) datasetId: string,
    @Arg("sampleSize", () => Int, { nullable: true }) sampleSize: number | null,
    @Ctx() ctx: ApiContext,
  ): Promise<JobType> {
    assertCan(ctx.actor, "job.manage");
    const job = await createHeadDecompositionJob(
      ctx.prisma,
      { modelId, datasetId, ...(sampleSize === null || sampleSize === undefined ? {} : { sampleSize }) },
      ctx.actor.userId,
    );
    await ctx.jobs.progress.publish(jobProgressTopic(job.id), progressOfJob(job));
    await ctx.jobs.queue?.enqueue(job.id);
    return toJobType(job);
  }
}
