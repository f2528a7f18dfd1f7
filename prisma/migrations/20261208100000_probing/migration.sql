-- Linear probing (issue 20): the PROBE_CONCEPTS job kind and its stored results, one "ProbeResult" row per
-- (model, dataset, tower, hook point or SAE dictionary, concept family).

-- AlterEnum
ALTER TYPE "JobKind" ADD VALUE 'PROBE_CONCEPTS';

-- CreateTable
CREATE TABLE "ProbeResult" (
    "id" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "datasetId" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "tower" "Tower" NOT NULL,
    "hookName" TEXT NOT NULL,
    "hookKind" TEXT NOT NULL,
    "layer" INTEGER NOT NULL,
    "dictionary" TEXT,
    "pooling" TEXT NOT NULL,
    "family" TEXT NOT NULL,
    "accuracy" DOUBLE PRECISION NOT NULL,
    "chance" DOUBLE PRECISION NOT NULL,
    "trainAccuracy" DOUBLE PRECISION NOT NULL,
    "trainCount" INTEGER NOT NULL,
    "testCount" INTEGER NOT NULL,
    "classes" TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProbeResult_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ProbeResult_modelId_datasetId_idx" ON "ProbeResult"("modelId", "datasetId");

-- AddForeignKey
ALTER TABLE "ProbeResult" ADD CONSTRAINT "ProbeResult_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "Model"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProbeResult" ADD CONSTRAINT "ProbeResult_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;
