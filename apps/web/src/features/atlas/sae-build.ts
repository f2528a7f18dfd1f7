// Pure pieces of the model page's SAE list: the default dataset of a build, readable progress and failure
// texts for a build job, readable mutation errors, and the atlas-browser link filtered to one SAE's units.
import type { DatasetOption, JobStatus } from "./build-queries";

/** The generated probe dataset the CLI and `npm start` build with by default. */
export const DEFAULT_BUILD_DATASET = "shapes-world-probe";

export const isActiveJob = (status: JobStatus) => status === "QUEUED" || status === "RUNNING";
export const isTerminalJob = (status: JobStatus) => !isActiveJob(status);

/** `shapes-world-probe` when it exists, else the first dataset; null when there is none. */
export function defaultDatasetId(datasets: readonly Pick<DatasetOption, "id" | "name">[]): string | null {
  return (datasets.find((d) => d.name === DEFAULT_BUILD_DATASET) ?? datasets[0])?.id ?? null;
}

/** "BAD_USER_INPUT: unknown hook …" (Job.error) → "unknown hook … (BAD_USER_INPUT)". */
export function jobErrorText(error: string | null): string {
  if (!error) return "no reason recorded";
  const m = /^([A-Z][A-Z_]+): ([\s\S]+)$/.exec(error.trim());
  return m ? `${m[2]} (${m[1]})` : error;
}

export interface ProgressFigures {
  status: JobStatus;
  phase: string | null;
  progress: number;
  examplesDone: number | null;
  examplesTotal: number | null;
  etaSeconds: number | null;
  error?: string | null;
  message?: string | null;
}

const count = (n: number) => n.toLocaleString("en-US");

/** One line for a build job: queued, running (percent, phase, examples, time left), or how it ended. */
export function progressText(p: ProgressFigures): string {
  switch (p.status) {
    case "QUEUED":
      return "Queued: waiting for the build runner…";
    case "SUCCEEDED":
      return "Built";
    case "CANCELLED":
      return "Build cancelled";
    case "FAILED":
      return `Build failed: ${jobErrorText(p.error ?? p.message ?? null)}`;
    default: {
      const parts = [`Building… ${Math.round(Math.min(1, Math.max(0, p.progress)) * 100)}%`];
      if (p.phase)
        parts.push(
          p.phase === "pass" ? "reading examples" : p.phase === "finalize" ? "labelling and writing units" : p.phase,
        );
      if (p.examplesTotal) parts.push(`${count(p.examplesDone ?? 0)} / ${count(p.examplesTotal)} examples`);
      if (p.etaSeconds != null && p.etaSeconds > 0) parts.push(`about ${Math.ceil(p.etaSeconds)} s left`);
      return parts.join(" · ");
    }
  }
}

/** A urql CombinedError (or any error) as text for the page: the API's messages, else why it was not reached. */
export function mutationErrorText(error: {
  graphQLErrors?: readonly { message: string }[];
  networkError?: Error;
  message: string;
}): string {
  if (error.graphQLErrors?.length) return error.graphQLErrors.map((e) => e.message).join("; ");
  if (error.networkError) return `Could not reach the API: ${error.networkError.message}`;
  return error.message.replace(/^\[(GraphQL|Network)\]\s*/, "");
}

/** The atlas browser at `path` (the model page) filtered to one SAE's features. */
export function saeUnitsHref(path: string, dict: { id: string; hookPointId: string }): string {
  const qs = new URLSearchParams({ hook: dict.hookPointId, dict: dict.id, kind: "SAE_FEATURE" });
  return `${path}?${qs.toString()}`;
}
