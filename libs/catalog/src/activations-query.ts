// Top activations of many units with their examples in ONE SQL statement: PostgreSQL joins the two tables and
// aggregates each unit's rows into a JSON array, so the driver parses one text value per unit (natively, with
// JSON.parse) instead of a row per activation plus a second query for the examples. A named statement (its
// plan is kept per connection) for the unit page, the hottest read of the API. Image bytes stay out of it (a 224 px
// PNG is ~130 KB: 20 of them made every unit page read ~3.5 MB of base64 whether or not the page asked for images);
// exampleImages reads them only for the examples whose image is asked for.
import {
  jsonFloat,
  sqlReaderOf,
  type ActivationBand,
  type Example,
  type NamedStatement,
  type PrismaClient,
  type TopActivation,
} from "@mmatlas/db";

/** An example without its image bytes (hasImage says whether it has one; exampleImages reads them). */
export type ExampleSummary = Omit<Example, "image"> & { hasImage: boolean };
export type TopActivationWithExample = TopActivation & { example: ExampleSummary };

const STATEMENT: NamedStatement = {
  name: "catalog.activationsByUnit",
  text: `
select t."unitId" as "unitId", json_agg(json_build_object(
    'id', t.id, 'unitId', t."unitId", 'exampleId', t."exampleId", 'band', t.band, 'bandIndex', t."bandIndex",
    'rank', t.rank, 'maxValue', t."maxValue", 'values', t.values,
    'example', json_build_object('id', e.id, 'datasetId', e."datasetId", 'index', e.index, 'modality', e.modality,
      'hasImage', e.image is not null, 'text', e.text, 'tags', e.tags, 'meta', e.meta)
  ) order by t."bandIndex", t.rank)::text as "rows"
from "TopActivation" t join "Example" e on e.id = t."exampleId"
where t."unitId" = any($1::text[]) and t.band = $2::"ActivationBand"
group by t."unitId"`,
};

interface RowJson extends Omit<TopActivation, "values" | "maxValue"> {
  maxValue: number | string;
  values: (number | string)[];
  example: ExampleSummary;
}

/** Rows as Prisma would return them (`values` as numbers), examples without their image bytes. */
function parseActivationRows(json: string): TopActivationWithExample[] {
  const rows = JSON.parse(json) as RowJson[];
  return rows.map((r) => ({
    ...r,
    maxValue: jsonFloat(r.maxValue),
    values: r.values.map((v) => jsonFloat(v)),
    example: r.example,
  }));
}

/** Activations of `band` per unit id (in `unitIds` order; [] for a unit without any), by band index then rank. */
export async function activationsByUnit(
  prisma: PrismaClient,
  unitIds: readonly string[],
  band: ActivationBand,
): Promise<TopActivationWithExample[][]> {
  const found = await sqlReaderOf(prisma).rows<{ unitId: string; rows: string }>(STATEMENT, [[...unitIds], band]);
  const byUnit = new Map(found.map((f) => [f.unitId, f.rows]));
  return unitIds.map((id) => {
    const json = byUnit.get(id);
    return json ? parseActivationRows(json) : [];
  });
}

const IMAGES: NamedStatement = {
  name: "catalog.exampleImages",
  text: `select id, translate(encode(image, 'base64'), E'\\n', '') as image from "Example" where id = any($1::text[])`,
};

/** Image bytes of examples, in `exampleIds` order (null: no such example, or one without an image). */
export async function exampleImages(
  prisma: PrismaClient,
  exampleIds: readonly string[],
): Promise<(Uint8Array | null)[]> {
  const rows = await sqlReaderOf(prisma).rows<{ id: string; image: string | null }>(IMAGES, [[...exampleIds]]);
  const byId = new Map(
    rows.map((r) => [r.id, r.image == null ? null : new Uint8Array(Buffer.from(r.image, "base64"))]),
  );
  return exampleIds.map((id) => byId.get(id) ?? null);
}
