// A process-wide LRU of the immutable part of unit pages: each unit's TOP activations with their examples, the
// rows an atlas build writes and nothing else changes (the unit row, with its live label fields, annotations and
// comments are read for every request). Bounded by entries: UNIT_PAGE_CACHE_ENTRIES (default 0 = off: in
// bench:api's uniform mix over 1M units it never hits; see docs/benchmarks.md). Invalidation needs no pub/sub:
// every build (API, worker or CLI) runs as a Job row, so when a build finishes (or reports progress) the
// newest Job update time changes. At most every UNIT_PAGE_CACHE_CHECK_MS (1000) a request starts one background
// read of that stamp, and a changed stamp empties the cache, in every API process of a cluster alike.
import { sqlReaderOf, type NamedStatement, type PrismaClient } from "@mmatlas/db";

export interface UnitPageCacheSettings {
  /** most units kept (0: no cache) */
  maxEntries: number;
  /** how often the build stamp is read, at most (ms) */
  checkMs: number;
}

export function unitPageCacheSettings(env: NodeJS.ProcessEnv = process.env): UnitPageCacheSettings {
  const int = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
    return n;
  };
  return { maxEntries: int("UNIT_PAGE_CACHE_ENTRIES", 0), checkMs: int("UNIT_PAGE_CACHE_CHECK_MS", 1000) };
}

/** The newest Job change and the number of jobs: changes whenever a build (or any job) starts, progresses or ends. */
const BUILD_STAMP: NamedStatement = {
  name: "catalog.buildStamp",
  text: `select coalesce(max("updatedAt")::text, '') || '/' || count(*)::text as "stamp" from "Job"`,
};

export async function readBuildStamp(prisma: PrismaClient): Promise<string> {
  const [row] = await sqlReaderOf(prisma).rows<{ stamp: string }>(BUILD_STAMP, []);
  return row?.stamp ?? "";
}

export interface UnitPageCache<T> {
  /** values for keys (in order), loading only those not cached through `load` (same order as its argument) */
  get(keys: readonly string[], load: (missing: string[]) => Promise<T[]>): Promise<T[]>;
  /** entries held now */
  readonly size: number;
  /** empties the cache */
  clear(): void;
}

/**
 * An LRU of `maxEntries` values whose contents are dropped when `stamp()` changes; `stamp` is read in the
 * background at most every `checkMs` (a request never waits for it). Values are kept only once a stamp is known
 * and if it did not change while they were loaded.
 */
export function createUnitPageCache<T>(
  settings: UnitPageCacheSettings,
  stamp: () => Promise<string>,
  now: () => number = Date.now,
): UnitPageCache<T> {
  const entries = new Map<string, T>(); // insertion order = recency (a hit re-inserts)
  let known: string | null = null;
  let generation = 0;
  let checkedAt = -Infinity;
  let checking = false;
  const check = () => {
    if (checking || now() - checkedAt < settings.checkMs) return;
    checking = true;
    checkedAt = now();
    stamp()
      .then(
        (s) => {
          if (known !== null && s !== known) {
            entries.clear();
            generation++;
          }
          known = s;
        },
        () => {
          entries.clear();
          generation++;
          known = null;
        },
      )
      .finally(() => {
        checking = false;
      });
  };
  return {
    get size() {
      return entries.size;
    },
    clear() {
      entries.clear();
      generation++;
    },
    async get(keys, load) {
      if (settings.maxEntries <= 0) return load([...keys]);
      check();
      const out = new Map<string, T>();
      const missing: string[] = [];
      for (const k of keys) {
        const v = entries.get(k);
        if (v === undefined) {
          missing.push(k);
          continue;
        }
        entries.delete(k);
        entries.set(k, v);
        out.set(k, v);
      }
      if (missing.length) {
        const gen = generation;
        const values = await load(missing);
        missing.forEach((k, i) => {
          out.set(k, values[i]);
          // no stamp known yet, or it changed meanwhile: this value may be from before the latest build
          if (known === null || gen !== generation) return;
          entries.set(k, values[i]);
          if (entries.size > settings.maxEntries) entries.delete(entries.keys().next().value!);
        });
      }
      return keys.map((k) => out.get(k)!);
    },
  };
}
