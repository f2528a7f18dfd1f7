// `npx tsx --tsconfig tsconfig.base.json tools/bench/seed-large-atlas.ts` — seeds the synthetic atlas of CLIP
// ViT-B/32 geometry (e2e/src/large-atlas.ts) into a PostgreSQL database for the benches (bench:api --atlas
// large, browse-large.bench.ts), creating and migrating it first.
//   options: --database-url URL (default .../mmatlas_large) --units-per-hook N (cap; default: all) --images N --texts N
import { parseArgs } from "node:util";
import {
  LARGE_MODEL,
  LEVELS_PER_UNIT,
  largeHookPoints,
  seedLargeAtlas,
  type HookRow,
  type LargeAtlas,
  type LargeAtlasOptions,
} from "../../e2e/src/large-atlas";

export { GEOMETRY, LARGE_MODEL, UNIT_PREFIX } from "../../e2e/src/large-atlas";

/** The default database of the large atlas (PG_SERVER_URL or the local server, database mmatlas_large). */
export async function largeAtlasDatabaseUrl(explicit?: string): Promise<string> {
  if (explicit) return explicit;
  const { DEFAULT_PG_SERVER, databaseUrl } = await import("./lib/pg-admin");
  return databaseUrl(process.env.PG_SERVER_URL ?? DEFAULT_PG_SERVER, "mmatlas_large");
}

/**
 * Creates and migrates the database if needed and seeds it (PostgreSQL, one pg connection, vacuumed afterwards);
 * with `reuse`, a database that already holds the full atlas (unit and row counts) is left as is.
 */
export async function seedLargeAtlasDatabase(
  url: string,
  opts: LargeAtlasOptions & { reuse?: boolean } = {},
): Promise<LargeAtlas & { seconds: number; reused: boolean }> {
  const [{ default: pg }, { migrateDatabase }, { ensureDatabase }] = await Promise.all([
    import("pg"),
    import("@mmatlas/db"),
    import("./lib/pg-admin"),
  ]);
  const log = opts.log ?? console.log;
  const name = new URL(url).pathname.slice(1);
  if (await ensureDatabase(url, name)) log(`created database ${name}`);
  const applied = await migrateDatabase({ url });
  if (applied.length) log(`applied migrations: ${applied.join(", ")}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const t = Date.now();
    if (opts.reuse && opts.unitsPerHook == null) {
      const r = await client.query(
        `select (select count(*) from "Unit" where "modelId" = $1)::int as units,
        (select count(*) from "TopActivation" where "unitId" like 'lg%')::int as acts`,
        [LARGE_MODEL],
      );
      const mlp = hooksOf("MLP"),
        heads = hooksOf("ATTN_PATTERN");
      const want = { units: mlp + heads, acts: mlp * LEVELS_PER_UNIT };
      if (r.rows[0].units === want.units && r.rows[0].acts === want.acts) {
        log(`large atlas present in ${name}: ${want.units} units, ${want.acts} top activations (nothing to do)`);
        return {
          modelId: LARGE_MODEL,
          mlpUnits: mlp,
          headUnits: heads,
          units: want.units,
          topActivations: want.acts,
          images: opts.images ?? 2000,
          texts: opts.texts ?? 1000,
          seconds: 0,
          reused: true,
        };
      }
    }
    await client.query(`set synchronous_commit = off`);
    const r = await seedLargeAtlas(client, { ...opts, log });
    for (const table of ["Unit", "TopActivation", "Example", "UnitSearchTerm"])
      await client.query(`vacuum (analyze) "${table}"`);
    const seconds = (Date.now() - t) / 1000;
    log(`seeded ${JSON.stringify(r)} into ${name} in ${seconds.toFixed(0)} s`);
    return { ...r, seconds, reused: false };
  } finally {
    await client.end();
  }
}

/** units of all hook points of a kind at full width */
const hooksOf = (kind: HookRow["kind"]) =>
  largeHookPoints()
    .filter((h) => h.kind === kind)
    .reduce((n, h) => n + h.width, 0);

async function main() {
  const { values } = parseArgs({
    options: {
      "database-url": { type: "string" },
      "units-per-hook": { type: "string" },
      images: { type: "string" },
      texts: { type: "string" },
    },
  });
  await seedLargeAtlasDatabase(await largeAtlasDatabaseUrl(values["database-url"]), {
    unitsPerHook: values["units-per-hook"] ? Number(values["units-per-hook"]) : undefined,
    images: values.images ? Number(values.images) : undefined,
    texts: values.texts ? Number(values.texts) : undefined,
  });
}

if (require.main === module)
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
