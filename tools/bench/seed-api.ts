// `npm run bench:seed` — fills a dedicated PostgreSQL database (mmatlas_bench by default) with a synthetic
// atlas for the API benchmark: 1M units (16 hook points x 62,500; every 3rd an SAE feature), each with an
// auto-label, every 10th with a current label, and 20 top activations per unit (20M rows) over 100k text
// examples, each unit's activations stored together (the order the atlas builder writes them in). Generated in
// SQL (generate_series), in chunks, with secondary indexes and foreign keys dropped during the load and
// recreated from their exact migration definitions afterwards. Reusable: a database that already holds the
// requested counts in the current layout (SEED_LAYOUT) is left as is.
//   options: --units N (1000000) --per-unit K (20) --database-url URL (BENCH_DATABASE_URL or .../mmatlas_bench)
import { parseArgs } from "node:util";
import { migrateDatabase } from "@mmatlas/db";
import pg from "pg";
import { DEFAULT_PG_SERVER, databaseUrl, ensureDatabase } from "./lib/pg-admin";

export const BENCH_MODEL = "bench-model";
export const HOOKS = 16;
export const EXAMPLES = 100_000;
/**
 * Physical layout of the seeded rows, kept in the model's description; a database seeded with another layout is
 * seeded again. v2: a unit's top activations are stored next to each other (unit-major, the order the atlas
 * builder writes them in), not spread over as many heap pages as the unit has activations.
 */
const SEED_LAYOUT = "bench seed v2: top activations unit-major";
export const LABEL_WORDS = [
  "red",
  "blue",
  "green",
  "stripes",
  "circle",
  "text",
  "face",
  "dog",
  "water",
  "sky",
  "grass",
  "edge",
  "curve",
  "letter",
  "digit",
  "wheel",
];

export function benchDatabaseUrl(explicit?: string): string {
  return (
    explicit ??
    process.env.BENCH_DATABASE_URL ??
    databaseUrl(process.env.PG_SERVER_URL ?? DEFAULT_PG_SERVER, "mmatlas_bench")
  );
}

interface Saved {
  table: string;
  kind: "index" | "fk";
  name: string;
  def: string;
}

async function dropForLoad(client: pg.Client, tables: string[]): Promise<Saved[]> {
  const saved: Saved[] = [];
  for (const table of tables) {
    const fks = await client.query(
      `select conname, pg_get_constraintdef(oid) as def from pg_constraint where conrelid = $1::regclass and contype = 'f'`,
      [`"${table}"`],
    );
    for (const r of fks.rows) saved.push({ table, kind: "fk", name: r.conname, def: r.def });
    const idx = await client.query(
      `select indexname, indexdef from pg_indexes where tablename = $1 and indexname not like '%_pkey'`,
      [table],
    );
    for (const r of idx.rows) saved.push({ table, kind: "index", name: r.indexname, def: r.indexdef });
  }
  for (const s of saved.filter((s) => s.kind === "fk"))
    await client.query(`alter table "${s.table}" drop constraint "${s.name}"`);
  for (const s of saved.filter((s) => s.kind === "index")) await client.query(`drop index "${s.name}"`);
  return saved;
}

async function restore(client: pg.Client, saved: Saved[]) {
  for (const s of saved.filter((s) => s.kind === "index")) {
    const t = Date.now();
    await client.query(s.def);
    console.log(`  index ${s.name} rebuilt in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  for (const s of saved.filter((s) => s.kind === "fk")) {
    const t = Date.now();
    await client.query(`alter table "${s.table}" add constraint "${s.name}" ${s.def}`);
    console.log(`  foreign key ${s.name} validated in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
}

export async function seedApiBench(opts: { url: string; units: number; perUnit: number; log?: (m: string) => void }) {
  const log = opts.log ?? console.log;
  const u = new URL(opts.url);
  const name = u.pathname.slice(1);
  if (await ensureDatabase(opts.url, name)) log(`created database ${name}`);
  const applied = await migrateDatabase({ url: opts.url });
  if (applied.length) log(`applied migrations: ${applied.join(", ")}`);
  const client = new pg.Client({ connectionString: opts.url });
  await client.connect();
  try {
    const counts = async () => {
      const r = await client.query(`select (select count(*) from "Unit" where "modelId" = 'bench-model')::int as units,
        (select count(*) from "TopActivation" where "unitId" like 'bu%')::int as acts,
        (select description from "Model" where id = 'bench-model') as layout`);
      return r.rows[0] as { units: number; acts: number; layout: string | null };
    };
    const before = await counts();
    if (before.units === opts.units && before.acts === opts.units * opts.perUnit && before.layout === SEED_LAYOUT) {
      log(`bench data present: ${before.units} units, ${before.acts} top activations (nothing to do)`);
      // search terms backfilled by the label_word_search migration: vacuum once, for index-only scans
      const st = await client.query(
        `select coalesce(last_vacuum, last_autovacuum) as at from pg_stat_user_tables where relname = 'UnitSearchTerm'`,
      );
      if (st.rows[0] && !st.rows[0].at) {
        const t = Date.now();
        await client.query(`vacuum (analyze) "UnitSearchTerm"`);
        log(`  vacuum (analyze) UnitSearchTerm: ${((Date.now() - t) / 1000).toFixed(1)} s`);
      }
      return before;
    }
    const started = Date.now();
    log(`seeding ${opts.units} units x ${opts.perUnit} top activations into ${u.host}/${name} ...`);
    await client.query(`set synchronous_commit = off`);
    await client.query(`delete from "TopActivation" where "unitId" like 'bu%'`);
    await client.query(`delete from "UnitSearchTerm" where "modelId" = 'bench-model'`); // faster than the cascade
    await client.query(`delete from "Unit" where "modelId" = 'bench-model'`);
    await client.query(`delete from "Model" where id = 'bench-model'`); // cascades to hook points
    await client.query(`delete from "Dataset" where id = 'bench-dataset'`);
    await client.query(
      `insert into "Model" (id, name, "displayName", description, modality, architecture, "onnxFiles", config, directory)
      values ('bench-model', 'bench-model', 'Benchmark model (synthetic)', $1, 'IMAGE_TEXT', 'clip-vit', '{}', '{}', 'bench')`,
      [SEED_LAYOUT],
    );
    await client.query(
      `insert into "HookPoint" (id, "modelId", name, tower, layer, kind, width, tensor)
      select 'bench-hook-' || lpad(h::text, 2, '0'), 'bench-model', 'vision.blocks.' || h || '.mlp.hook_post', 'VISION', h, 'MLP', $1, 'vision.blocks.' || h || '.mlp.hook_post'
      from generate_series(0, $2 - 1) h`,
      [Math.ceil(opts.units / HOOKS), HOOKS],
    );
    await client.query(
      `insert into "Dataset" (id, name, modality, size) values ('bench-dataset', 'bench-captions', 'TEXT', $1)`,
      [EXAMPLES],
    );
    await client.query(
      `insert into "Example" (id, "datasetId", index, modality, text, tags)
      select 'be' || e, 'bench-dataset', e, 'TEXT', 'a ' || ($1::text[])[1 + e % 16] || ' ' || ($1::text[])[1 + (e / 16) % 16] || ' number ' || e, array['w:' || ($1::text[])[1 + e % 16]]
      from generate_series(0, $2 - 1) e`,
      [LABEL_WORDS, EXAMPLES],
    );
    // UnitSearchTerm is filled by the Unit insert trigger (migration label_word_search), one statement per chunk
    const saved = await dropForLoad(client, ["Unit", "TopActivation", "UnitSearchTerm"]);
    try {
      const perHook = Math.ceil(opts.units / HOOKS);
      const chunk = 50_000;
      for (let lo = 0; lo < opts.units; lo += chunk) {
        const hi = Math.min(opts.units, lo + chunk) - 1;
        await client.query(
          `insert into "Unit" (id, slug, "modelId", "hookPointId", kind, index, "maxActivation", density, histogram, "autoLabels", "topAutoLabel", "labelState", "currentLabel", "updatedAt")
        select 'bu' || i, 'bench-model/vision.blocks.' || (i / $3) || '.mlp.hook_post/neurons/' || (i % $3), 'bench-model', 'bench-hook-' || lpad((i / $3)::text, 2, '0'),
          'NEURON', i % $3, 1 + (i % 997) / 100.0, (i % 101) / 1000.0,
          jsonb_build_object('edges', jsonb_build_array(0, 0.5, 1, 2, 4), 'counts', jsonb_build_array(i % 50, i % 30, i % 20, i % 7)),
          jsonb_build_array(jsonb_build_object('label', ($4::text[])[1 + i % 16] || ' ' || ($4::text[])[1 + (i / 16) % 16], 'score', 0.5 + (i % 50) / 100.0, 'method', 'wpmi')),
          ($4::text[])[1 + i % 16] || ' ' || ($4::text[])[1 + (i / 16) % 16],
          case when i % 10 = 0 then 'LABELED'::"LabelState" else 'UNLABELED'::"LabelState" end,
          case when i % 10 = 0 then ($4::text[])[1 + (i / 7) % 16] || ' detector ' || i else null end,
          now()
        from generate_series($1::int, $2::int) i`,
          [lo, hi, perHook, LABEL_WORDS],
        );
        await client.query(
          `insert into "TopActivation" (id, "unitId", "exampleId", band, "bandIndex", rank, "maxValue", "values")
        select 'ba' || i || '_' || r, 'bu' || i, 'be' || ((i::bigint * 7919 + r * 104729) % $4), 'TOP', 0, r, 10.0 - r * 0.4 - (i % 13) / 100.0,
          array[((i + r) % 7) / 7.0, ((i + r) % 5) / 5.0, ((i * r) % 11) / 11.0, 1.0, ((i + 3 * r) % 13) / 13.0, 0.0, ((i + r) % 3) / 3.0, 0.25]::float8[]
        from generate_series($1::int, $2::int) i, generate_series(0, $3 - 1) r
        order by i, r`,
          [lo, hi, opts.perUnit, EXAMPLES],
        );
        const done = hi + 1;
        const s = (Date.now() - started) / 1000;
        log(
          `  ${done.toLocaleString("en-US")} / ${opts.units.toLocaleString("en-US")} units (${(done * opts.perUnit).toLocaleString("en-US")} activations), ${s.toFixed(0)} s`,
        );
      }
    } finally {
      log(`rebuilding ${saved.length} indexes / foreign keys ...`);
      await restore(client, saved);
    }
    // vacuum as well as analyze: sets the hint bits and visibility map now, as autovacuum would on a live database
    // in time, instead of the benchmark's first reads dirtying (and writing back) every page they touch
    for (const table of ["Unit", "TopActivation", "Example", "UnitSearchTerm"]) {
      const t = Date.now();
      await client.query(`vacuum (analyze) "${table}"`);
      log(`  vacuum (analyze) ${table}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
    const after = await counts();
    log(
      `seeded ${after.units} units and ${after.acts} top activations in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    return after;
  } finally {
    await client.end();
  }
}

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      units: { type: "string", default: "1000000" },
      "per-unit": { type: "string", default: "20" },
      "database-url": { type: "string" },
    },
  });
  seedApiBench({
    url: benchDatabaseUrl(values["database-url"]),
    units: Number(values.units),
    perUnit: Number(values["per-unit"]),
  }).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
