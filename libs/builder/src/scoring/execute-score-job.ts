// Runs a SCORE_LABELS job row to its end (called by executeJob for that kind): RUNNING → SUCCEEDED with
// { units, labels, seconds, timings } in Job.metrics, FAILED with the error, or CANCELLED. Progress = units
// scored / units, reported as JobProgress (phase "score"; examplesDone/Total count units).
import type { Job, PrismaClient } from "@mmatlas/db";
import type { JobProgress } from "../run/progress";
import { runTrackedJob } from "../jobs/tracked-job";
import { parseScoreParams, runScoreLabels, ScoreCancelled } from "./score-job";

export async function executeScoreJob(
  prisma: PrismaClient,
  job: Job,
  opts: { signal?: AbortSignal; onProgress?: (p: JobProgress) => void; errorMessage: (e: unknown) => string },
): Promise<Job> {
  return runTrackedJob(prisma, job, {
    ...opts,
    phase: "score",
    isCancellation: (e) => e instanceof ScoreCancelled,
    run: async (report, signal) => {
      const params = parseScoreParams(job.params);
      const result = await runScoreLabels(prisma, params, { signal, report });
      return {
        examples: { done: result.units, total: result.units },
        message: `${result.labels} label scores for ${result.units} units${result.unscored ? `; ${result.unscored} units without held-out examples (the build's probe set covers its dataset: give heldOutDatasetId)` : ""}`,
        metrics: {
          unscored: result.unscored,
          units: result.units,
          labels: result.labels,
          seconds: result.seconds,
          timings: result.timings,
        },
      };
    },
  });
}
