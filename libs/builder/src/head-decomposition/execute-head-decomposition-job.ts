// Runs a HEAD_DECOMPOSITION job row to its end (called by executeJob for that kind): RUNNING → SUCCEEDED with
// { heads, stored, images, seconds, headShare, embeddingMismatch, timings } in Job.metrics, FAILED with the error,
// or CANCELLED. Progress: images decomposed (phase "pass", 90 %), then TextSpan + ablation (phase "finalize").
import type { Job, PrismaClient } from "@mmatlas/db";
import type { JobProgress } from "../run/progress";
import { runTrackedJob, type Pace, type TrackedProgress } from "../jobs/tracked-job";
import {
  HeadDecompositionCancelled,
  parseHeadDecompositionParams,
  runHeadDecomposition,
  type HeadProgress,
} from "./head-decomposition-job";
import { DecompositionCancelled } from "./decompose-images";

const PASS_SHARE = 0.9;

const fraction = (p: HeadProgress) =>
  p.phase === "finalize" ? PASS_SHARE : p.total ? (PASS_SHARE * p.done) / p.total : 0;

/** images per second (1 decimal) and the seconds left at that rate, both measured in the pass only */
function imagePace(last: TrackedProgress, seconds: number): Pace {
  const rate = last.phase === "pass" && last.done > 0 && seconds > 0 ? last.done / seconds : null;
  return {
    examplesPerSecond: rate === null ? null : Math.round(rate * 10) / 10,
    etaSeconds: rate && last.phase === "pass" ? Math.round((last.total - last.done) / rate) : null,
  };
}

export async function executeHeadDecompositionJob(
  prisma: PrismaClient,
  job: Job,
  opts: { signal?: AbortSignal; onProgress?: (p: JobProgress) => void; errorMessage: (e: unknown) => string },
): Promise<Job> {
  return runTrackedJob(prisma, job, {
    ...opts,
    phase: "pass",
    isCancellation: (e) => e instanceof HeadDecompositionCancelled || e instanceof DecompositionCancelled,
    pace: imagePace,
    run: async (report, signal) => {
      const params = parseHeadDecompositionParams(job.params);
      const result = await runHeadDecomposition(prisma, params, {
        jobId: job.id,
        signal,
        report: (p) => report({ ...p, fraction: fraction(p) }),
      });
      const { records: _records, ...figures } = result;
      void _records;
      return {
        message: `${result.heads} heads decomposed over ${result.images} images (${result.stored} stored${
          result.stored < result.heads
            ? "; heads without an ATTENTION_HEAD unit need an atlas of the attention hooks"
            : ""
        }); heads carry ${(result.headShare * 100).toFixed(1)} % of the embedding`,
        metrics: figures,
      };
    },
  });
}
