// Background jobs over GraphQL (transport only; the work is in @mmatlas/builder): start an atlas build,
// cancel a job, read jobs, and follow a job's progress live. Starting and cancelling need the job.manage
// permission (ADMIN role, or a token with the ADMIN scope); reading needs a signed-in caller.
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import { assertCan } from "@mmatlas/auth";
import { cancelJob, createAtlasBuildJob, type JobProgress } from "@mmatlas/builder";
import type { Job, JobStatus as DbJobStatus } from "@mmatlas/db";
import { AppError } from "@mmatlas/errors";
import type { ApiContext } from "../../context";
import { JobStatus } from "../enums";
import { JobProgressType, JobType, StartAtlasBuildInput } from "../types/jobs";

export const jobProgressTopic = (jobId: string) => `job-progress:${jobId}`;
const TERMINAL = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);
const MAX_JOBS = 100;

type Metrics = Partial<Pick<JobProgress, "phase" | "examplesDone" | "examplesTotal" | "examplesPerSecond" | "etaSeconds" | "message">>;

export function toJobType(job: Omit<Job, "checkpoint">): JobType {
  const m = (job.metrics ?? {}) as Metrics;
  return {
    ...job, params: job.params, metrics: job.metrics ?? null,
    phase: m.phase ?? (job.status === "QUEUED" ? "queued" : null),
    examplesDone: m.examplesDone ?? null, examplesTotal: m.examplesTotal ?? null,
    examplesPerSecond: m.examplesPerSecond ?? null, etaSeconds: m.etaSeconds ?? null,
  };
}

/** The progress event equivalent to a job row (sent first to every subscriber). */
export function progressOfJob(job: Job): JobProgress {
  const m = (job.metrics ?? {}) as Metrics;
  return {
    jobId: job.id, status: job.status, phase: (m.phase ?? (job.status === "QUEUED" ? "queued" : "pass")) as JobProgress["phase"], progress: job.progress,
    examplesDone: m.examplesDone ?? 0, examplesTotal: m.examplesTotal ?? 0, examplesPerSecond: m.examplesPerSecond ?? null,
    etaSeconds: m.etaSeconds ?? null, message: job.error ?? m.message ?? null,
  };
}

async function findJob(ctx: ApiContext, id: string): Promise<Job> {
  const job = await ctx.prisma.job.findUnique({ where: { id } });
  if (!job) throw AppError.notFound("Job", id);
  return job;
}

/** current state first, then live events, ending after a terminal status */
async function* progressStream(ctx: ApiContext, jobId: string): AsyncGenerator<JobProgress> {
  const source = ctx.jobs.progress.subscribe(jobProgressTopic(jobId));
  try {
    const first = progressOfJob(await findJob(ctx, jobId));
    yield first;
    if (TERMINAL.has(first.status)) return;
    for await (const p of source) {
      yield p;
      if (TERMINAL.has(p.status)) return;
    }
  } finally {
    await source.return?.();
  }
}

@Resolver()
export class JobsResolver {
  @Mutation(() => JobType, { description: "queue an atlas build of a model over a dataset (ADMIN role or admin-scoped token)" })
  async startAtlasBuild(@Arg("input", () => StartAtlasBuildInput) input: StartAtlasBuildInput, @Ctx() ctx: ApiContext): Promise<JobType> {
    assertCan(ctx.actor, "job.manage");
    const job = await createAtlasBuildJob(ctx.prisma, {
      modelId: input.modelId, datasetId: input.datasetId, hooks: input.hooks, dictionaries: input.dictionaries ?? [],
      k: input.k ?? undefined, batchSize: input.batchSize ?? undefined, probeSize: input.probeSize ?? undefined, causalUnits: input.causalUnits ?? undefined, maxUnits: input.maxUnits ?? undefined,
    }, ctx.actor.userId);
    await ctx.jobs.progress.publish(jobProgressTopic(job.id), progressOfJob(job));
    await ctx.jobs.queue?.enqueue(job.id);
    return toJobType(job);
  }

  @Mutation(() => JobType, { description: "cancel a queued or running job (it stops after its current batch)" })
  async cancelJob(@Arg("id", () => ID) id: string, @Ctx() ctx: ApiContext): Promise<JobType> {
    assertCan(ctx.actor, "job.manage");
    await findJob(ctx, id);
    if (ctx.jobs.queue) await ctx.jobs.queue.cancel(id);
    else await cancelJob(ctx.prisma, id);
    const job = await findJob(ctx, id);
    await ctx.jobs.progress.publish(jobProgressTopic(id), progressOfJob(job));
    return toJobType(job);
  }

  @Query(() => JobType, { description: "a job by id" })
  async job(@Arg("id", () => ID) id: string, @Ctx() ctx: ApiContext): Promise<JobType> {
    assertCan(ctx.actor, "read");
    return toJobType(await findJob(ctx, id));
  }

  @Query(() => [JobType], { description: "recent jobs, newest first" })
  async jobs(
    @Ctx() ctx: ApiContext,
    @Arg("status", () => JobStatus, { nullable: true }) status?: DbJobStatus | null,
    @Arg("first", () => Int, { nullable: true, defaultValue: 20 }) first = 20,
  ): Promise<JobType[]> {
    assertCan(ctx.actor, "read");
    if (!Number.isInteger(first) || first < 1 || first > MAX_JOBS) throw AppError.badInput(`first must be in 1..${MAX_JOBS}`, "first");
    const rows = await ctx.prisma.job.findMany({ where: status ? { status } : {}, orderBy: { createdAt: "desc" }, take: first });
    return rows.map(toJobType);
  }

  @Subscription(() => JobProgressType, {
    description: "a job's progress: its current state, then every update until it succeeds, fails or is cancelled",
    subscribe: async ({ args, context }) => {
      const ctx = context as ApiContext;
      assertCan(ctx.actor, "read");
      await findJob(ctx, args.jobId as string);
      return progressStream(ctx, args.jobId as string);
    },
  })
  jobProgress(@Arg("jobId", () => ID) _jobId: string, @Root() p: JobProgress): JobProgressType {
    return p;
  }
}
