-- Feature visualizations of image units (one row per unit) and their job kind.
ALTER TYPE "JobKind" ADD VALUE 'FEATURE_VISUALIZATION';

-- CreateTable
CREATE TABLE "FeatureVisualization" (
    "unitId" TEXT NOT NULL,
    "image" BYTEA NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "activation" DOUBLE PRECISION NOT NULL,
    "startActivation" DOUBLE PRECISION NOT NULL,
    "datasetMax" DOUBLE PRECISION,
    "steps" INTEGER NOT NULL,
    "seed" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "options" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FeatureVisualization_pkey" PRIMARY KEY ("unitId")
);

-- AddForeignKey
ALTER TABLE "FeatureVisualization" ADD CONSTRAINT "FeatureVisualization_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE CASCADE ON UPDATE CASCADE;
