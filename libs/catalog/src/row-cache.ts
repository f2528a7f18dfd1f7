// A process-wide, short-lived cache of rarely changing catalog rows (models, hook points, dictionaries) by id,
// shared by every request's loaders: a unit page names its model and hook point, and without it each page
// would spend two of its SQL round trips re-reading the same few rows. Entries live `CATALOG_CACHE_TTL_MS`
// (default 5000; 0 turns the cache off), so a re-registered model shows its new fields within seconds.
// Misses are not cached: a row created a moment ago is found at once. An entry that expired less than one TTL
// ago is still served while one background read refreshes it (stale-while-revalidate), so requests never wait
// for the refresh (before, every 5 s one unit page waited for two extra Prisma reads: issue 19).

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
  const refreshing = new Set<string>();
  const store = (rows: (T & { id: string })[], t: number) => {
    if (ttlMs <= 0) return;
    for (const row of rows) {
      if (entries.size >= maxEntries) entries.clear();
      entries.set(row.id, { row, expires: t + ttlMs });
    }
  };
  /** reads `ids` again in the background; an id no longer found is dropped, a failed read leaves the entries */
  const refresh = (ids: string[], load: (missing: string[]) => Promise<(T & { id: string })[]>) => {
    const todo = ids.filter((id) => !refreshing.has(id));
    if (!todo.length) return;
    for (const id of todo) refreshing.add(id);
    load(todo)
      .then(
        (rows) => {
          store(rows, now());
          const found = new Set(rows.map((r) => r.id));
          for (const id of todo) if (!found.has(id)) entries.delete(id);
        },
        () => {},
      )
      .finally(() => {
        for (const id of todo) refreshing.delete(id);
      });
  };
  return {
    async get(ids, load) {
      const t = now();
      const out = new Map<string, T>();
      const missing: string[] = [];
      const stale: string[] = [];
      for (const id of ids) {
        const e = ttlMs > 0 ? entries.get(id) : undefined;
        if (e && e.expires > t) out.set(id, e.row);
        else if (e && e.expires + ttlMs > t) {
          out.set(id, e.row);
          stale.push(id);
        } else missing.push(id);
      }
      if (stale.length) refresh(stale, load);
      if (missing.length) {
        const rows = await load(missing);
        for (const row of rows) out.set(row.id, row);
        store(rows, t);
      }
      return ids.map((id) => out.get(id) ?? null);
    },
  };
}
