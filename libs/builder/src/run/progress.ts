// Live progress of a build job: fraction done (streaming pass = 85 %, finalize = 15 %), throughput and ETA.
export type BuildPhase =
  "queued" | "pass" | "finalize" | "score" | "probe" | "visualize" | "done" | "failed" | "cancelled";

export interface JobProgress {
  jobId: string;
  status: "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";
  phase: BuildPhase;
  /** 0..1 */
  progress: number;
  examplesDone: number;
  examplesTotal: number;
  /** streaming-pass throughput of this run (examples/s) */
  examplesPerSecond: number | null;
  /** estimated seconds left (null until measurable) */
  etaSeconds: number | null;
  message: string | null;
}

export const PASS_SHARE = 0.85;

export function passProgress(done: number, total: number): number {
  return total > 0 ? PASS_SHARE * Math.min(1, done / total) : PASS_SHARE;
}

export function finalizeProgress(setsDone: number, sets: number): number {
  return PASS_SHARE + (1 - PASS_SHARE) * (sets > 0 ? Math.min(1, setsDone / sets) : 1);
}

/** ETA from the pass throughput, plus a finalize allowance proportional to the pass duration share. */
export function etaSeconds(done: number, total: number, examplesPerSecond: number | null): number | null {
  if (!examplesPerSecond || examplesPerSecond <= 0) return null;
  const passLeft = Math.max(0, total - done) / examplesPerSecond;
  const finalize = (total / examplesPerSecond) * ((1 - PASS_SHARE) / PASS_SHARE);
  return Math.round(passLeft + finalize);
}
