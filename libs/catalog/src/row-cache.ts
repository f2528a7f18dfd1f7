// A process-wide, short-lived cache of rarely changing catalog rows (models, hook points, dictionaries) by id,
// shared by every request's loaders: a unit page names its model and hook point, and without it each page
// would spend two of its SQL round trips re-reading the same few rows. Entries live `CATALOG_CACHE_TTL_MS`
// (default 5000; 0 turns the cache off), so a re-registered model shows its new fields within seconds.
// Misses are not cached: a row created a moment ago is found at once.

export interface RowCache<T> {
  /** rows for ids (null where none), reading only the ids not cached (or expired) through `load` */
  get(ids: readonly string[], load: (missing: string[]) => Promise<(T & { id: string })[]>): Promise<(T | null)[]>;
}

export function cacheTtlMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.CATALOG_CACHE_TTL_MS;
  const n = raw === undefined || raw === "" ? 5000 : Number(raw);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

export function createRowCache<T>(ttlMs: number, now: () => number = Date.now, maxEntries = 10_000): RowCache<T> {
  const entries = new Map<string, { row: T; expires: number }>();
  return {
    async get(ids, load) {
      const t = now();
      const out = new Map<string, T>();
      const missing: string[] = [];
      for (const id of ids) {
        const e = ttlMs > 0 ? entries.get(id) : undefined;
        if (e && e.expires > t) out.set(id, e.row);
        else missing.push(id);
      }
      if (missing.length) {
        for (const row of await load(missing)) {
          out.set(row.id, row);
          if (ttlMs <= 0) continue;
          if (entries.size >= maxEntries) entries.clear();
          entries.set(row.id, { row, expires: t + ttlMs });
        }
      }
      return ids.map((id) => out.get(id) ?? null);
    },
  };
}
