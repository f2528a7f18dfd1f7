// How many rewritten sessions of one tower stay cached. Each holds its own copy of the graph's weights (a ViT-L/14
// vision session: ~1.3 GB), so beside the count limit (maxSessions) the cache is bounded in bytes:
// INFERENCE_SESSION_CACHE_MB (default 4,096 MB) per tower, counted as the tower's graph size per session; at least
// one session is always kept.
import { InferenceError } from "../errors";

export const DEFAULT_SESSION_CACHE_MB = 4096;
/** sessions kept per tower when RunnerOptions.maxSessions is not given */
export const DEFAULT_MAX_SESSIONS = 8;

/** the per-tower byte bound of the session cache, from INFERENCE_SESSION_CACHE_MB (typed error when malformed) */
export function sessionCacheBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.INFERENCE_SESSION_CACHE_MB;
  if (raw === undefined || raw.trim() === "") return DEFAULT_SESSION_CACHE_MB * 1024 * 1024;
  const mb = Number(raw);
  if (!Number.isFinite(mb) || mb <= 0)
    throw new InferenceError("BAD_INPUT", `INFERENCE_SESSION_CACHE_MB must be a positive number, got "${raw}"`);
  return Math.floor(mb * 1024 * 1024);
}

/** sessions of a graph of `graphBytes` that fit: ≤ maxSessions, ≤ maxSessionBytes in all, and at least 1 */
export function sessionCapacity(maxSessions: number, maxSessionBytes: number, graphBytes: number): number {
  const byBytes = graphBytes > 0 ? Math.floor(maxSessionBytes / graphBytes) : maxSessions;
  return Math.max(1, Math.min(maxSessions, byBytes));
}
