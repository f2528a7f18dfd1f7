// The job kinds a worker runs with executeJob (the in-process runner, the BullMQ worker, the CLI). A new kind is
// added here and dispatched in execute-job.ts; the import kinds run inline in their mutations and are not listed.
import type { JobKind } from "@mmatlas/db";

/** kinds executeJob runs, picked oldest-first by the runners */
export const RUNNABLE_JOB_KINDS: JobKind[] = [
  "ATLAS_BUILD",
  "SCORE_LABELS",
  "PROBE_CONCEPTS",
  "HEAD_DECOMPOSITION",
  "FEATURE_VISUALIZATION",
];
