// Runs a PROBE_CONCEPTS job row to its end (called by executeJob for that kind): RUNNING → SUCCEEDED with
// { cells, stored, skipped, examples, seconds } in Job.metrics, FAILED with the error, or CANCELLED. Progress is
// reported as JobProgress: phase "probe", examplesDone/Total count examples run and then probes fitted.
import type { Job, Prisma, PrismaClient } from "@mmatlas/db";
import type { JobProgress } from "../run/progress";
import { runTrackedJob } from "../jobs/tracked-job";
import { parseProbeParams, runProbeConcepts } from "./probe-job";
import { ProbeCancelled } from "./probe-model";

export async function executeProbeJob(
  prisma: PrismaClient,
  job: Job,
  opts: { signal?: AbortSignal; onProgress?: (p: JobProgress) => void; errorMessage: (e: unknown) => string },
): Promise<Job> {
  return runTrackedJob(prisma, job, {
    ...opts,
    phase: "probe",
    isCancellation: (e) => e instanceof ProbeCancelled,
    progressWrites: { everyMs: 250, completeAlways: true },
    run: async (report, signal) => {
      const params = parseProbeParams(job.params);
      const result = await runProbeConcepts(prisma, params, {
        jobId: job.id,
        signal,
        onProgress: (p) =>
          report({
            done: p.done,
            total: p.total,
            fraction: p.fraction,
            message: `${p.phase === "features" ? "activations" : "probes"}: ${p.message}`,
            metrics: { step: p.phase },
          }),
      });
      return {
        message: `${result.stored} probes over ${result.examples.VISION} images and ${result.examples.TEXT} texts${
          result.skipped.length
            ? `; skipped ${result.skipped.map((s) => `${s.tower.toLowerCase()} ${s.message}`).join(", ")}`
            : ""
        }`,
        metrics: {
          cells: result.cells.length,
          stored: result.stored,
          skipped: result.skipped as unknown as Prisma.InputJsonValue,
          examples: result.examples,
          seconds: result.seconds,
          timings: result.timings,
          // SAEs wider than MAX_PROBED_SAE_WIDTH features are left out (the probe's cost grows with its width)
          saesNotProbed: result.saesNotProbed,
        },
      };
    },
  });
}
