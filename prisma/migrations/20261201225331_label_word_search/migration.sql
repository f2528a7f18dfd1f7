-- Label search by words instead of substrings (pg_trgm). The trigram indexes answered rare queries through
-- posting-list intersections and re-checked every candidate row of the wide "Unit" table (12–360 ms at 1M units,
-- docs/benchmarks.md); "UnitSearchTerm" holds each word start of each searchable label, so a query is a btree
-- range (rare terms) or a walk in listing order that stops after a page (common terms). Triggers below keep it
-- current for every writer. The trigram indexes on the two unit label columns are dropped; the one on
-- "Annotation"."label" stays (the annotations query's labelContains filter is still a substring match).

-- DropIndex
DROP INDEX "Unit_currentLabel_trgm_idx";

-- DropIndex
DROP INDEX "Unit_topAutoLabel_trgm_idx";

-- CreateTable
CREATE TABLE "UnitSearchTerm" (
    "unitId" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "hookPointId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "term" TEXT COLLATE "C" NOT NULL,

    CONSTRAINT "UnitSearchTerm_pkey" PRIMARY KEY ("unitId","term")
);

-- CreateIndex
CREATE INDEX "UnitSearchTerm_term_hookPointId_index_unitId_idx" ON "UnitSearchTerm"("term", "hookPointId", "index", "unitId");

-- CreateIndex
CREATE INDEX "UnitSearchTerm_hookPointId_index_unitId_term_idx" ON "UnitSearchTerm"("hookPointId", "index", "unitId", "term");

-- CreateIndex
CREATE INDEX "UnitSearchTerm_modelId_hookPointId_index_unitId_term_idx" ON "UnitSearchTerm"("modelId", "hookPointId", "index", "unitId", "term");

-- AddForeignKey
ALTER TABLE "UnitSearchTerm" ADD CONSTRAINT "UnitSearchTerm_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Normalized form of a label or a query: lowercase, every run of non-alphanumeric characters one space, trimmed.
CREATE FUNCTION "label_search_normalize"(label text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT btrim(regexp_replace(lower(label), '[^[:alnum:]]+', ' ', 'g'))
$$;

-- The search terms of one label: its normalized text from each word start to the end (at most 256 characters).
CREATE FUNCTION "label_search_terms"(label text) RETURNS SETOF text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT left(array_to_string(w.words[i:], ' '), 256)
  FROM (SELECT string_to_array("label_search_normalize"(label), ' ') AS words) w, generate_subscripts(w.words, 1) AS i
  WHERE w.words[i] <> ''
$$;

-- Every unit's terms, from its labels and its proposed/accepted annotations (the refresh below and the backfill).
CREATE VIEW "unit_search_terms" AS
  SELECT DISTINCT u."id" AS "unitId", u."modelId", u."hookPointId", u."index", t.term
  FROM "Unit" u
  CROSS JOIN LATERAL (
    SELECT "label_search_terms"(u."currentLabel")
    UNION SELECT "label_search_terms"(u."topAutoLabel")
    UNION SELECT "label_search_terms"(a."label") FROM "Annotation" a WHERE a."unitId" = u."id" AND a."status" IN ('PROPOSED', 'ACCEPTED')
  ) AS t(term);

-- Recomputes the terms of these units.
CREATE FUNCTION "unit_search_refresh"(unit_ids text[]) RETURNS void LANGUAGE sql AS $$
  DELETE FROM "UnitSearchTerm" WHERE "unitId" = ANY(unit_ids);
  INSERT INTO "UnitSearchTerm" ("unitId", "modelId", "hookPointId", "index", "term")
  SELECT "unitId", "modelId", "hookPointId", "index", term FROM "unit_search_terms" WHERE "unitId" = ANY(unit_ids);
$$;

-- New units (one statement, however many rows: the builder and imports insert in bulk); they have no annotations yet.
CREATE FUNCTION "unit_search_after_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "UnitSearchTerm" ("unitId", "modelId", "hookPointId", "index", "term")
  SELECT DISTINCT n."id", n."modelId", n."hookPointId", n."index", t.term
  FROM new_rows n
  CROSS JOIN LATERAL (SELECT "label_search_terms"(n."currentLabel") UNION SELECT "label_search_terms"(n."topAutoLabel")) AS t(term);
  RETURN NULL;
END $$;
CREATE TRIGGER "unit_search_insert" AFTER INSERT ON "Unit"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "unit_search_after_insert"();

-- Changed labels or listing position (other column updates cost one join of the transition tables).
CREATE FUNCTION "unit_search_after_update"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE changed text[];
BEGIN
  changed := ARRAY(
    SELECT n."id" FROM new_rows n JOIN old_rows o ON o."id" = n."id"
    WHERE n."currentLabel" IS DISTINCT FROM o."currentLabel" OR n."topAutoLabel" IS DISTINCT FROM o."topAutoLabel"
       OR n."modelId" <> o."modelId" OR n."hookPointId" <> o."hookPointId" OR n."index" <> o."index");
  IF cardinality(changed) > 0 THEN PERFORM "unit_search_refresh"(changed); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "unit_search_update" AFTER UPDATE ON "Unit"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "unit_search_after_update"();

-- Annotations: a proposed/accepted label is searchable, a draft or rejected one is not.
CREATE FUNCTION "unit_search_after_annotation"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM "unit_search_refresh"(ARRAY[NEW."unitId"]);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM "unit_search_refresh"(ARRAY[OLD."unitId"]);
  ELSIF NEW."label" IS DISTINCT FROM OLD."label" OR NEW."status" <> OLD."status" OR NEW."unitId" <> OLD."unitId" THEN
    PERFORM "unit_search_refresh"(ARRAY(SELECT DISTINCT x FROM unnest(ARRAY[OLD."unitId", NEW."unitId"]) AS x));
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "unit_search_annotation" AFTER INSERT OR UPDATE OR DELETE ON "Annotation"
  FOR EACH ROW EXECUTE FUNCTION "unit_search_after_annotation"();

-- Backfill the units already stored.
INSERT INTO "UnitSearchTerm" ("unitId", "modelId", "hookPointId", "index", "term")
SELECT "unitId", "modelId", "hookPointId", "index", term FROM "unit_search_terms";
