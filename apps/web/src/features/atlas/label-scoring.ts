// Pure pieces of the model page's label scoring: one line of text for a SCORE_LABELS job (queued, running with
// the units scored so far, or how it ended) and the summary a finished job stored in its metrics.
import type { JobStatus } from "./build-queries";
import { jobErrorText } from "./sae-build";

export interface ScoringFigures {
  status: JobStatus;
  progress: number;
  /** units scored so far (a SCORE_LABELS job counts units in examplesDone / examplesTotal) */
  examplesDone: number | null;
  examplesTotal: number | null;
  error?: string | null;
  message?: string | null;
}

const count = (n: number) => n.toLocaleString("en-US");

/** One line for a label-scoring job. */
export function scoringProgressText(p: ScoringFigures): string {
  switch (p.status) {
    case "QUEUED":
      return "Label scoring queued: waiting for the job runner…";
    case "SUCCEEDED":
      return p.message ? `Labels scored: ${p.message}` : "Labels scored";
    case "CANCELLED":
      return "Label scoring cancelled";
    case "FAILED":
      return `Label scoring failed: ${jobErrorText(p.error ?? p.message ?? null)}`;
    default: {
      const parts = [`Scoring labels… ${Math.round(Math.min(1, Math.max(0, p.progress)) * 100)}%`];
      if (p.examplesTotal) parts.push(`${count(p.examplesDone ?? 0)} / ${count(p.examplesTotal)} units`);
      return parts.join(" · ");
    }
  }
}

/** the result line a finished scoring job stored (metrics.message), null when there is none */
export function scoringSummaryOf(metrics: unknown): string | null {
  if (!metrics || typeof metrics !== "object") return null;
  const m = (metrics as { message?: unknown }).message;
  return typeof m === "string" && m.trim() ? m : null;
}
