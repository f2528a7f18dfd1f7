// Runs a FEATURE_VISUALIZATION job row to its end (called by executeJob for that kind): RUNNING → SUCCEEDED with
// { units, deferred, unavailable, seconds, unitsPerSecond } in Job.metrics, FAILED with the error, or CANCELLED.
// Progress = units visualized / units to do, reported as JobProgress (phase "visualize"; examplesDone/Total count
// units; examplesPerSecond = units per second).
import type { Job, PrismaClient } from "@mmatlas/db";
import type { JobProgress } from "../run/progress";
import { runTrackedJob, type Pace, type TrackedProgress } from "../jobs/tracked-job";
import { FeatureVisCancelled, parseFeatureVisParams, runFeatureVisualization } from "./feature-vis-job";

/** the Job row is written at most this often while a batch is optimised */
const PROGRESS_WRITE_MS = 1000;

/** units per second (2 decimals) and, while running, the seconds left at that rate */
function unitPace(last: TrackedProgress, seconds: number, status: JobProgress["status"]): Pace {
  const perSecond = seconds > 0 && last.done > 0 ? Math.round((last.done / seconds) * 100) / 100 : null;
  return {
    examplesPerSecond: perSecond,
    etaSeconds: status === "RUNNING" && perSecond ? Math.round(Math.max(0, last.total - last.done) / perSecond) : null,
  };
}

export async function executeFeatureVisJob(
  prisma: PrismaClient,
  job: Job,
  opts: { signal?: AbortSignal; onProgress?: (p: JobProgress) => void; errorMessage: (e: unknown) => string },
): Promise<Job> {
  return runTrackedJob(prisma, job, {
    ...opts,
    phase: "visualize",
    isCancellation: (e) => e instanceof FeatureVisCancelled,
    pace: unitPace,
    progressWrites: { everyMs: PROGRESS_WRITE_MS },
    run: async (report, signal) => {
      const params = parseFeatureVisParams(job.params);
      const result = await runFeatureVisualization(prisma, params, {
        signal,
        report,
        stillRunning: async () => (await prisma.job.count({ where: { id: job.id, status: "RUNNING" } })) > 0,
      });
      const unavailable = Object.entries(result.unavailable)
        .map(([code, n]) => `${n} ${code}`)
        .join(", ");
      return {
        message:
          `${result.units} units visualized` +
          (result.deferred ? `; ${result.deferred} left for on-demand requests (time budget used up)` : "") +
          (unavailable ? `; unavailable: ${unavailable}` : ""),
        metrics: {
          units: result.units,
          deferred: result.deferred,
          unavailable: result.unavailable,
          seconds: result.seconds,
          unitsPerSecond: result.unitsPerSecond,
          examplesPerSecond: result.unitsPerSecond,
        },
      };
    },
  });
}
