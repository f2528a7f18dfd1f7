// Background jobs over GraphQL (transport only; the work is in @mmatlas/builder): start an atlas build,
// cancel a job, read jobs, and follow a job's progress live. Starting and cancelling need the job.manage
// permission (ADMIN role, or a token with the ADMIN scope); reading needs a signed-in caller.
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import { assertCan } from "@mmatlas/auth";
import {
  cancelJob,
  createAtlasBuildJob,
  findJob,
  jobFigures,
  jobProgressTopic,
  listJobs,
  progressOfJob,
  JOB_STATUSES_TERMINAL,
  type JobProgress,
} from "@mmatlas/builder";
import type { Job, JobStatus as DbJobStatus } from "@mmatlas/db";
import type { ApiContext } from "../../context";
import { JobStatus } from "../enums";
import { JobProgressType, JobType, StartAtlasBuildInput } from "../types/jobs";

export function toJobType(job: Omit<Job, "checkpoint">): JobType {
  return { ...job, params: job.params, metrics: job.metrics ?? null, ...jobFigures(job) };
}

/** current state first, then live events, ending after a terminal status */
async function* progressStream(ctx: ApiContext, jobId: string): AsyncGenerator<JobProgress> {
  const source = ctx.jobs.progress.subscribe(jobProgressTopic(jobId));
  try {
    const first = progressOfJob(await findJob(ctx.prisma, jobId));
    yield first;
    if (JOB_STATUSES_TERMINAL.has(first.status)) return;
    for await (const p of source) {
      yield p;
      if (JOB_STATUSES_TERMINAL.has(p.status)) return;
    }
  } finally {
    await source.return?.();
  }
}

@Resolver()
export class JobsResolver {
  @Mutation(() => JobType, {
    description: "queue an atlas build of a model over a dataset (ADMIN role or admin-scoped token)",
  })
  async startAtlasBuild(
    @Arg("input", () => StartAtlasBuildInput) input: StartAtlasBuildInput,
    @Ctx() ctx: ApiContext,
  ): Promise<JobType> {
    assertCan(ctx.actor, "job.manage");
    const job = await createAtlasBuildJob(
      ctx.prisma,
      {
        modelId: input.modelId,
        datasetId: input.datasetId,
        hooks: input.hooks,
        dictionaries: input.dictionaries ?? [],
        k: input.k ?? undefined,
        batchSize: input.batchSize ?? undefined,
        probeSize: input.probeSize ?? undefined,
        causalUnits: input.causalUnits ?? undefined,
        maxUnits: input.maxUnits ?? undefined,
        scoreLabels: input.scoreLabels ?? undefined,
      },
      ctx.actor.userId,
    );
    await ctx.jobs.progress.publish(jobProgressTopic(job.id), progressOfJob(job));
    await ctx.jobs.queue?.enqueue(job.id);
    return toJobType(job);
  }

  @Mutation(() => JobType, { description: "cancel a queued or running job (it stops after its current batch)" })
  async cancelJob(@Arg("id", () => ID) id: string, @Ctx() ctx: ApiContext): Promise<JobType> {
    assertCan(ctx.actor, "job.manage");
    await findJob(ctx.prisma, id);
    if (ctx.jobs.queue) await ctx.jobs.queue.cancel(id);
    else await cancelJob(ctx.prisma, id);
    const job = await findJob(ctx.prisma, id);
    await ctx.jobs.progress.publish(jobProgressTopic(id), progressOfJob(job));
    return toJobType(job);
  }

  @Query(() => JobType, { description: "a job by id" })
  async job(@Arg("id", () => ID) id: string, @Ctx() ctx: ApiContext): Promise<JobType> {
    assertCan(ctx.actor, "read");
    return toJobType(await findJob(ctx.prisma, id));
  }

  @Query(() => [JobType], { description: "recent jobs, newest first" })
  async jobs(
    @Ctx() ctx: ApiContext,
    @Arg("status", () => JobStatus, { nullable: true }) status?: DbJobStatus | null,
    @Arg("first", () => Int, { nullable: true, defaultValue: 20 }) first = 20,
  ): Promise<JobType[]> {
    assertCan(ctx.actor, "read");
    return (await listJobs(ctx.prisma, { status, first })).map(toJobType);
  }

  @Subscription(() => JobProgressType, {
    description: "a job's progress: its current state, then every update until it succeeds, fails or is cancelled",
    subscribe: async ({ args, context }) => {
      const ctx = context as ApiContext;
      assertCan(ctx.actor, "read");
      await findJob(ctx.prisma, args.jobId as string);
      return progressStream(ctx, args.jobId as string);
    },
  })
  jobProgress(@Arg("jobId", () => ID) _jobId: string, @Root() p: JobProgress): JobProgressType {
    return p;
  }
}
