// Query limits and their environment settings (GRAPHQL_MAX_DEPTH, GRAPHQL_MAX_COST, GRAPHQL_MAX_FIELDS,
// GRAPHQL_MAX_PAGE_SIZE, GRAPHQL_MAX_RESPONSE_BYTES, GRAPHQL_INTROSPECTION, GRAPHQL_TRUSTED_DOCUMENTS). Defaults fit every query the web app and docs use.
export interface QueryLimits {
  /** deepest field nesting allowed (the top-level field is depth 1) */
  maxDepth: number;
  /** highest estimated cost (see analyze.ts) */
  maxCost: number;
  /** most field selections after expanding fragments (aliases count) */
  maxFields: number;
  /** largest serialized response in bytes; a larger one is replaced by a RESPONSE_TOO_LARGE error */
  maxResponseBytes: number;
  /** most `__type` selections per request (`__schema`: at most one, always) */
  maxTypeIntrospections: number;
  /** largest `first`/`last` a connection or list argument may ask for */
  maxPageSize: number;
  /** whether __schema/__type are answered */
  introspection: boolean;
  /** path of an allow-list file; when set only listed documents run */
  trustedDocumentsFile: string | null;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDepth: 12,
  maxCost: 20_000,
  maxFields: 2_000,
  maxPageSize: 100,
  maxResponseBytes: 16 * 1024 * 1024,
  maxTypeIntrospections: 10,
  introspection: true,
  trustedDocumentsFile: null,
};

function positiveInt(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw == null || raw.trim() === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return n;
}

function flag(env: Record<string, string | undefined>, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (["1", "true", "yes", "on"].includes(raw)) return true;
  if (["0", "false", "no", "off"].includes(raw)) return false;
  throw new Error(`${name} must be true or false, got ${JSON.stringify(env[name])}`);
}

/** Introspection defaults to on, except with NODE_ENV=production. */
export function queryLimitsFromEnv(env: Record<string, string | undefined> = process.env): QueryLimits {
  return {
    maxDepth: positiveInt(env, "GRAPHQL_MAX_DEPTH", DEFAULT_QUERY_LIMITS.maxDepth),
    maxCost: positiveInt(env, "GRAPHQL_MAX_COST", DEFAULT_QUERY_LIMITS.maxCost),
    maxFields: positiveInt(env, "GRAPHQL_MAX_FIELDS", DEFAULT_QUERY_LIMITS.maxFields),
    maxPageSize: positiveInt(env, "GRAPHQL_MAX_PAGE_SIZE", DEFAULT_QUERY_LIMITS.maxPageSize),
    maxResponseBytes: positiveInt(env, "GRAPHQL_MAX_RESPONSE_BYTES", DEFAULT_QUERY_LIMITS.maxResponseBytes),
    maxTypeIntrospections: DEFAULT_QUERY_LIMITS.maxTypeIntrospections,
    introspection: flag(env, "GRAPHQL_INTROSPECTION", env.NODE_ENV !== "production"),
    trustedDocumentsFile: env.GRAPHQL_TRUSTED_DOCUMENTS?.trim() || null,
  };
}
