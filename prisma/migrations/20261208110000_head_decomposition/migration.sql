-- TextSpan-style head decomposition (issue 20): one "HeadDecomposition" row per vision attention-head unit, and
-- the HEAD_DECOMPOSITION job kind that computes them.

-- AlterEnum
ALTER TYPE "JobKind" ADD VALUE 'HEAD_DECOMPOSITION';

-- CreateTable
CREATE TABLE "HeadDecomposition" (
    "id" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "layer" INTEGER NOT NULL,
    "head" INTEGER NOT NULL,
    "share" DOUBLE PRECISION NOT NULL,
    "meanNorm" DOUBLE PRECISION NOT NULL,
    "texts" JSONB NOT NULL,
    "ablation" JSONB NOT NULL,
    "sampleSize" INTEGER NOT NULL,
    "datasetId" TEXT NOT NULL,
    "jobId" TEXT,
    "version" INTEGER NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HeadDecomposition_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "HeadDecomposition_unitId_key" ON "HeadDecomposition"("unitId");

-- CreateIndex
CREATE INDEX "HeadDecomposition_modelId_share_idx" ON "HeadDecomposition"("modelId", "share");

-- AddForeignKey
ALTER TABLE "HeadDecomposition" ADD CONSTRAINT "HeadDecomposition_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE CASCADE ON UPDATE CASCADE;
