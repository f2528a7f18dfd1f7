// The atlas that `BENCH_LARGE_KEEP=1 npm run bench:large` builds and keeps in PostgreSQL (database
// mmatlas_large_built): a real import and build of the ViT-B/32-geometry CLIP, as opposed to the seeded synthetic
// atlas of seed-large-atlas.ts. browse-large.bench.ts and bench:api read it with `--atlas built`; this module finds
// its model, MLP hook points and units, which the build names itself (unit slugs: model/hook/neurons/index).
import pg from "pg";
import { DEFAULT_PG_SERVER, databaseUrl } from "./pg-admin";

export const BUILT_ATLAS_DATABASE = "mmatlas_large_built";

export interface BuiltMlpHook {
  id: string;
  name: string;
  tower: "VISION" | "TEXT";
  layer: number;
  /** neurons stored for this hook (its width when the build covered it whole) */
  units: number;
}

/** What the benches need of a built atlas: plain data, so it can travel to bench:api's steady-load child. */
export interface BuiltAtlas {
  modelId: string;
  modelName: string;
  mlpHooks: BuiltMlpHook[];
  /** neurons over all MLP hooks */
  mlpUnits: number;
  /** all units (neurons + heads) */
  units: number;
  /** a vision neuron with stored top activations: the unit page the browser bench opens */
  sampleVisionUnitId: string;
}

export function builtAtlasDatabaseUrl(explicit?: string): string {
  return explicit ?? databaseUrl(process.env.PG_SERVER_URL ?? DEFAULT_PG_SERVER, BUILT_ATLAS_DATABASE);
}

/** The neuron slug the builder writes (libs/builder unitSlug) for index `i` of a hook. */
export function neuronSlug(atlas: Pick<BuiltAtlas, "modelName">, hook: Pick<BuiltMlpHook, "name">, i: number) {
  return `${atlas.modelName}/${hook.name}/neurons/${i}`;
}

/** A read-only SQL runner returning rows: a pg client, or Prisma's $queryRawUnsafe (tests, PGlite). */
export type SqlRows = <T>(text: string, params: unknown[]) => Promise<T[]>;

/** Reads the built atlas at `url` (PostgreSQL); the error names the command that builds one. */
export async function readBuiltAtlasAt(url: string): Promise<BuiltAtlas> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (e) {
    throw new Error(`no built atlas at ${url} (${(e as Error).message}): ${HOW_TO_BUILD}`, { cause: e });
  }
  try {
    return await readBuiltAtlas(async (text, params) => (await client.query(text, params)).rows, url);
  } finally {
    await client.end();
  }
}

const HOW_TO_BUILD = "run BENCH_LARGE_DATABASES=postgres BENCH_LARGE_KEEP=1 npm run bench:large first";

/** Reads the built atlas (the model with the most units) through `rows`; `where` names the database in errors. */
export async function readBuiltAtlas(rows: SqlRows, where = "the database"): Promise<BuiltAtlas> {
  const [model] = await rows<{ id: string; name: string; units: number }>(
    `select m.id, m.name, count(u.id)::int as units from "Model" m join "Unit" u on u."modelId" = m.id
     group by m.id, m.name order by units desc, m.name limit 1`,
    [],
  );
  if (!model) throw new Error(`${where} holds no built units: ${HOW_TO_BUILD}`);
  const hooks = await rows<BuiltMlpHook>(
    `select h.id, h.name, h.tower::text as tower, h.layer, count(u.id)::int as units from "HookPoint" h
     join "Unit" u on u."hookPointId" = h.id and u.kind = 'NEURON' and u."dictionaryId" is null
     where h."modelId" = $1 and h.kind = 'MLP' group by h.id, h.name, h.tower, h.layer
     order by h.tower::text desc, h.layer`,
    [model.id],
  );
  if (!hooks.length) throw new Error(`model ${model.name} has no MLP neurons in ${where}`);
  const vision = hooks.find((h) => h.tower === "VISION") ?? hooks[0];
  const [sample] = await rows<{ id: string }>(
    `select u.id from "Unit" u where u."hookPointId" = $1 and u.kind = 'NEURON' and u."dictionaryId" is null
     and exists (select 1 from "TopActivation" t where t."unitId" = u.id) order by u.index limit 1`,
    [vision.id],
  );
  if (!sample) throw new Error(`no neuron of ${vision.name} has top activations in ${where}`);
  return {
    modelId: model.id,
    modelName: model.name,
    mlpHooks: hooks,
    mlpUnits: hooks.reduce((n, h) => n + h.units, 0),
    units: model.units,
    sampleVisionUnitId: sample.id,
  };
}
