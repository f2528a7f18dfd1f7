// Label search over "UnitSearchTerm" (one row per word start of each searchable label; the database's triggers keep
// it current, migration label_word_search). A query matches the units that have a label whose words, from some
// word on, start with the query's words: both are lowercased and every run of non-alphanumeric characters is read
// as one space ("Red-blue" finds "red blue stripes" and "bright red blue"; "blue str" finds "red blue stripes";
// "lue" finds nothing). Two plans, both exact:
// - rare queries: the btree range of terms that start with the query (at most PROBE_LIMIT rows), then the first
//   units of that set in listing order;
// - common queries (the range holds PROBE_LIMIT rows or more): walk the listing order, (hook point, index, id), and
//   stop after a page of matches, which comes quickly because matches are dense.
import { sqlReaderOf, type NamedStatement, type PrismaClient } from "@mmatlas/db";
import type { UnitFilter } from "./unit-filter";

/** Term rows read before a query counts as common (then the listing-order walk is cheaper than sorting them). */
export const PROBE_LIMIT = 5000;

/** The listing key (hook point, index, id) strictly after which a page starts. */
export type ListingKey = [hookPointId: string, index: number, unitId: string];

const NORMALIZED = `"label_search_normalize"($1) COLLATE "C"`;
/** Terms that start with the normalized query: a btree range (the term column has collation "C", byte order). */
const IN_RANGE = `${NORMALIZED} <> '' and t."term" >= ${NORMALIZED} and t."term" < ${NORMALIZED} || chr(1114111)`;

/**
 * SQL conditions on alias `t` (a UnitSearchTerm row) for the non-search parts of a filter, numbered from `$first`.
 * `modelVia`: "column" reads t."modelId" (the walk has an index that starts with it); "hookPoint" goes through the
 * model's hook points, so the range plan reads only columns of its index (an index-only scan).
 */
function scope(
  filter: UnitFilter,
  after: ListingKey | null,
  first: number,
  modelVia: "column" | "hookPoint",
): { sql: string; params: unknown[]; shape: string } {
  const conds: string[] = [],
    unitConds: string[] = [],
    params: unknown[] = [];
  const shape: string[] = [];
  const param = (v: unknown) => {
    params.push(v);
    return `$${first + params.length - 1}`;
  };
  if (filter.modelId) {
    conds.push(
      modelVia === "column"
        ? `t."modelId" = ${param(filter.modelId)}`
        : `t."hookPointId" in (select hp."id" from "HookPoint" hp where hp."modelId" = ${param(filter.modelId)})`,
    );
    shape.push("m");
  }
  if (filter.hookPointId) {
    conds.push(`t."hookPointId" = ${param(filter.hookPointId)}`);
    shape.push("h");
  }
  if (filter.hookName) {
    conds.push(`t."hookPointId" in (select hp."id" from "HookPoint" hp where hp."name" = ${param(filter.hookName)})`);
    shape.push("n");
  }
  if (filter.dictionaryId) {
    unitConds.push(`u."dictionaryId" = ${param(filter.dictionaryId)}`);
    shape.push("d");
  }
  if (filter.kind) {
    unitConds.push(`u."kind" = ${param(filter.kind)}::"UnitKind"`);
    shape.push("k");
  }
  if (filter.labelState) {
    unitConds.push(`u."labelState" = ${param(filter.labelState)}::"LabelState"`);
    shape.push("s");
  }
  if (filter.minBestScore != null) {
    unitConds.push(`u."bestLabelScore" >= ${param(filter.minBestScore)}::float8`);
    shape.push("b");
  }
  if (filter.maxBestScore != null) {
    unitConds.push(`u."bestLabelScore" <= ${param(filter.maxBestScore)}::float8`);
    shape.push("B");
  }
  if (unitConds.length)
    conds.push(`exists (select 1 from "Unit" u where u."id" = t."unitId" and ${unitConds.join(" and ")})`);
  if (after) {
    conds.push(
      `(t."hookPointId", t."index", t."unitId") > (${param(after[0])}, ${param(after[1])}::int, ${param(after[2])})`,
    );
    shape.push("a");
  }
  return { sql: conds.map((c) => ` and ${c}`).join(""), params, shape: shape.join("") };
}

/** A statement with its parameters after the leading ones (the query, then the limits). */
export interface ScopedStatement {
  statement: NamedStatement;
  params: unknown[];
}

/** Range plan; parameters: $1 query, $2 probe limit, $3 page size, then the scope. Returns probed and ids (JSON). */
export function rareSearchStatement(filter: UnitFilter, after: ListingKey | null): ScopedStatement {
  const s = scope(filter, after, 4, "hookPoint");
  return {
    params: s.params,
    statement: {
      name: `catalog.labelSearch.rare.${s.shape}`,
      // counts the range up to $2 rows (an index-only scan); only below that does the CASE read the page from it
      text: `with probe as (select count(*)::int as "n" from (select 1 from "UnitSearchTerm" t where ${IN_RANGE} limit $2) x)
        select probe."n" as "probed", case when probe."n" < $2 then coalesce((
          select json_agg(p."unitId" order by p."hookPointId", p."index", p."unitId")::text from (
            select distinct t."unitId", t."hookPointId", t."index" from "UnitSearchTerm" t where ${IN_RANGE}${s.sql}
            order by t."hookPointId", t."index", t."unitId" limit $3) p), '[]') end as "ids"
        from probe`,
    },
  };
}

/** Listing-order plan; parameters: $1 query, $2 page size, then the scope. Returns unitId rows. */
export function commonSearchStatement(filter: UnitFilter, after: ListingKey | null): ScopedStatement {
  const d = scope(filter, after, 3, "column");
  return {
    params: d.params,
    statement: {
      name: `catalog.labelSearch.common.${d.shape}`,
      // `term || ''`: PostgreSQL would turn starts_with(term, …) into the term range again; on an expression it
      // walks the listing-order index instead (term is in that index too) and stops after $2 units
      text: `select distinct t."hookPointId", t."index", t."unitId" from "UnitSearchTerm" t
        where starts_with(t."term" || '', ${NORMALIZED})${d.sql}
        order by t."hookPointId", t."index", t."unitId" limit $2`,
    },
  };
}

/** Ids of the first `take` matching units after `after`, in listing order (`probeLimit`: tests pick the plan). */
export async function searchUnitIds(
  prisma: PrismaClient,
  query: string,
  filter: UnitFilter,
  after: ListingKey | null,
  take: number,
  probeLimit = PROBE_LIMIT,
): Promise<string[]> {
  const reader = sqlReaderOf(prisma);
  const rare = rareSearchStatement(filter, after);
  const [probe] = await reader.rows<{ probed: number; ids: string | null }>(rare.statement, [
    query,
    probeLimit,
    take,
    ...rare.params,
  ]);
  if (probe.probed < probeLimit) return JSON.parse(probe.ids!) as string[];
  const common = commonSearchStatement(filter, after);
  const rows = await reader.rows<{ unitId: string }>(common.statement, [query, take, ...common.params]);
  return rows.map((r) => r.unitId);
}

/** How many units match (every page of the search together). */
export async function countSearchUnits(prisma: PrismaClient, query: string, filter: UnitFilter): Promise<number> {
  const s = scope(filter, null, 2, "hookPoint");
  const [row] = await sqlReaderOf(prisma).rows<{ n: number }>(
    {
      name: `catalog.labelSearch.count.${s.shape}`,
      text: `select count(distinct t."unitId")::int as "n" from "UnitSearchTerm" t where ${IN_RANGE}${s.sql}`,
    },
    [query, ...s.params],
  );
  return row.n;
}
