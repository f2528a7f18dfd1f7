// Size and rate limits of the collaboration server, from the environment (README env table, docs/api.md):
//   COLLAB_MAX_DOCUMENT_BYTES  encoded Yjs state of one unit document            (default 1 MiB)
//   COLLAB_MAX_UPDATE_BYTES    one sync message (update / sync step 2) from a client (default 512 KiB)
//   COLLAB_MAX_AWARENESS_BYTES one awareness message from a client                 (default 8 KiB)
//   COLLAB_AWARENESS_RATE      awareness updates per second per connection, burst 2× (default 20)
import { AppError } from "@mmatlas/errors";

export interface CollabLimits {
  maxDocumentBytes: number;
  maxUpdateBytes: number;
  maxAwarenessBytes: number;
  awarenessPerSecond: number;
}

export const DEFAULT_COLLAB_LIMITS: CollabLimits = {
  maxDocumentBytes: 1024 * 1024,
  maxUpdateBytes: 512 * 1024,
  maxAwarenessBytes: 8 * 1024,
  awarenessPerSecond: 20,
};

const ENV: Record<keyof CollabLimits, string> = {
  maxDocumentBytes: "COLLAB_MAX_DOCUMENT_BYTES",
  maxUpdateBytes: "COLLAB_MAX_UPDATE_BYTES",
  maxAwarenessBytes: "COLLAB_MAX_AWARENESS_BYTES",
  awarenessPerSecond: "COLLAB_AWARENESS_RATE",
};

/** The limits from `env` (unset → default); a value that is not a positive integer is a BAD_USER_INPUT at start. */
export function collabLimitsFromEnv(env: Record<string, string | undefined> = process.env): CollabLimits {
  const limits = { ...DEFAULT_COLLAB_LIMITS };
  for (const key of Object.keys(ENV) as (keyof CollabLimits)[]) {
    const raw = env[ENV[key]];
    if (raw == null || raw.trim() === "") continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n <= 0)
      throw AppError.badInput(`${ENV[key]} must be a positive integer (got "${raw}")`, ENV[key]);
    limits[key] = n;
  }
  if (limits.maxUpdateBytes > limits.maxDocumentBytes) limits.maxUpdateBytes = limits.maxDocumentBytes;
  return limits;
}
