-- Per-position activation values in single precision: the model computes them in float32, so float8 only doubled
-- their storage (≈1.2 GB → ≈0.6 GB for a ViT-B/32 atlas's 2.15 M rows) and the bytes every write moves.
-- AlterTable
ALTER TABLE "TopActivation" ALTER COLUMN "values" SET DATA TYPE REAL[];
