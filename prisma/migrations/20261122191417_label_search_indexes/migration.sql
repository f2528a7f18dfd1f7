-- Label search: pg_trgm GIN indexes for case-insensitive substring search (ILIKE) on unit and annotation labels,
-- and the (hookPointId, index, id) order of the units listing so pages stop early. PGlite loads pg_trgm too.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateIndex
CREATE INDEX "Annotation_label_trgm_idx" ON "Annotation" USING GIN ("label" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Unit_hookPointId_index_id_idx" ON "Unit"("hookPointId", "index", "id");

-- CreateIndex
CREATE INDEX "Unit_currentLabel_trgm_idx" ON "Unit" USING GIN ("currentLabel" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Unit_topAutoLabel_trgm_idx" ON "Unit" USING GIN ("topAutoLabel" gin_trgm_ops);
