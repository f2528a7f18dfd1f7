// GraphQL shapes of background jobs (atlas builds): the job row with its live figures, progress events, and
// the startAtlasBuild input.
import { Field, Float, ID, InputType, Int, ObjectType } from "type-graphql";
import { JobKind, JobStatus } from "../enums";
import { DateTime, JSON } from "../scalars";

@ObjectType("Job")
export class JobType {
  @Field(() => ID) id!: string;
  @Field(() => JobKind) kind!: string;
  @Field(() => JobStatus) status!: string;
  @Field(() => Float, { description: "0..1" }) progress!: number;
  @Field(() => JSON, { description: "what the job runs (e.g. modelId, datasetId, hooks, dictionaries, k)" })
  params!: unknown;
  @Field(() => String, { nullable: true, description: "why the job failed (code: message)" }) error!: string | null;
  @Field(() => String, { nullable: true, description: "pass, finalize, done, failed or cancelled" }) phase!:
    string | null;
  @Field(() => Int, { nullable: true }) examplesDone!: number | null;
  @Field(() => Int, { nullable: true }) examplesTotal!: number | null;
  @Field(() => Float, { nullable: true }) examplesPerSecond!: number | null;
  @Field(() => Float, { nullable: true }) etaSeconds!: number | null;
  @Field(() => JSON, { nullable: true, description: "live and final figures (timings, units, peak memory)" })
  metrics!: unknown;
  @Field(() => ID, { nullable: true }) createdById!: string | null;
  @Field(() => DateTime) createdAt!: Date;
  @Field(() => DateTime, { nullable: true }) startedAt!: Date | null;
  @Field(() => DateTime, { nullable: true }) finishedAt!: Date | null;
}

@ObjectType("JobProgress")
export class JobProgressType {
  @Field(() => ID) jobId!: string;
  @Field(() => JobStatus) status!: string;
  @Field(() => String) phase!: string;
  @Field(() => Float) progress!: number;
  @Field(() => Int) examplesDone!: number;
  @Field(() => Int) examplesTotal!: number;
  @Field(() => Float, { nullable: true }) examplesPerSecond!: number | null;
  @Field(() => Float, { nullable: true }) etaSeconds!: number | null;
  @Field(() => String, { nullable: true }) message!: string | null;
}

@InputType("StartAtlasBuildInput")
export class StartAtlasBuildInput {
  @Field(() => ID, { description: "model id or name" }) modelId!: string;
  @Field(() => ID, { description: "dataset id or name" }) datasetId!: string;
  @Field(() => [String], { description: "hook point names (MLP/RESID → neurons, ATTN_PATTERN → heads)" })
  hooks!: string[];
  @Field(() => [String], { nullable: true, description: "SAE (dictionary) names" }) dictionaries?: string[] | null;
  @Field(() => Int, { nullable: true, description: "top examples per unit (default 20)" }) k?: number | null;
  @Field(() => Int, { nullable: true }) batchSize?: number | null;
  @Field(() => Int, { nullable: true }) probeSize?: number | null;
  @Field(() => Int, { nullable: true }) causalUnits?: number | null;
  @Field(() => Int, { nullable: true, description: "study only the first n neurons / features of each hook or SAE" })
  maxUnits?: number | null;
  @Field(() => Boolean, {
    nullable: true,
    description: "queue a SCORE_LABELS job for the units it wrote when it succeeds (default true)",
  })
  scoreLabels?: boolean | null;
}
