// Linear probing over GraphQL (transport only; the job and reads live in @mmatlas/builder/probing):
// Model.probing(datasetId) — stored held-out probe accuracies per hook point × concept family — and the
// runProbing mutation, which queues a PROBE_CONCEPTS job for a whole model (job.manage, like scoreLabels).
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from "type-graphql";
import { assertCan, can } from "@mmatlas/auth";
import { createProbeConceptsJob, jobProgressTopic, progressOfJob, readModelProbing } from "@mmatlas/builder";
import { resolveDatasetId } from "@mmatlas/catalog";
import type { Model } from "@mmatlas/db";
import type { ApiContext } from "../../context";
import { ModelType } from "../types/catalog";
import { JobType } from "../types/jobs";
import { ModelProbingType } from "../types/probing";
import { toJobType } from "./jobs.resolver";

@Resolver(() => ModelType)
export class ModelProbingResolver {
  @FieldResolver(() => ModelProbingType, {
    description:
      "linear probes of every hook point for each concept family of a dataset's tags (default: the dataset probed last)",
  })
  async probing(
    @Root() model: Model,
    @Arg("datasetId", () => ID, { nullable: true, description: "dataset id or name" }) datasetId: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<ModelProbingType> {
    const dataset = datasetId ? await resolveDatasetId(ctx.prisma, datasetId, "datasetId") : null;
    const read = await readModelProbing(ctx.prisma, model.id, dataset);
    const ids = [...new Set([...(read.datasetId ? [read.datasetId] : []), ...read.datasetIds])];
    const rows = await ctx.prisma.dataset.findMany({ where: { id: { in: ids } } });
    const byId = new Map(rows.map((d) => [d.id, d]));
    return {
      dataset: read.datasetId ? (byId.get(read.datasetId) ?? null) : null,
      cells: read.cells,
      skipped: read.skipped,
      datasets: read.datasetIds.map((id) => byId.get(id)).filter((d) => d !== undefined),
      job: read.job && can(ctx.actor, "read") ? toJobType(read.job) : null,
    };
  }
}

@Resolver()
export class ProbingMutationResolver {
  @Mutation(() => JobType, {
    description:
      "queue a PROBE_CONCEPTS job: linear probes of every hook point of the model for the concept families of the dataset's tags (job.manage); an active job of the same model and dataset is returned instead",
  })
  async runProbing(
    @Arg("modelId", () => ID, { description: "model id or name" }) modelId: string,
    @Arg("datasetId", () => ID, { description: "dataset id or name" }) datasetId: string,
    @Arg("maxExamples", () => Int, { nullable: true, description: "examples per tower (default 2048)" })
    maxExamples: number | null,
    @Arg("includeSaes", () => Boolean, { nullable: true, description: "also probe the model's SAEs (default true)" })
    includeSaes: boolean | null,
    @Ctx() ctx: ApiContext,
  ): Promise<JobType> {
    assertCan(ctx.actor, "job.manage");
    const job = await createProbeConceptsJob(
      ctx.prisma,
      { modelId, datasetId, maxExamples: maxExamples ?? undefined, includeSaes: includeSaes ?? undefined },
      ctx.actor.userId,
    );
    await ctx.jobs.progress.publish(jobProgressTopic(job.id), progressOfJob(job));
    await ctx.jobs.queue?.enqueue(job.id);
    return toJobType(job);
  }
}
