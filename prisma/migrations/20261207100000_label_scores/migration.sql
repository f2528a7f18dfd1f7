-- Explanation scores of labels (issue 17 §1): one "LabelScore" row per unit and normalized label, the unit's best
-- score denormalized onto "Unit" (sorting / filtering units by it), and the SCORE_LABELS job kind.

-- AlterEnum
ALTER TYPE "JobKind" ADD VALUE 'SCORE_LABELS';

-- AlterTable
ALTER TABLE "Unit" ADD COLUMN "bestLabelScore" DOUBLE PRECISION,
ADD COLUMN "bestScoredLabel" TEXT;

-- CreateTable
CREATE TABLE "LabelScore" (
    "id" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "labelKey" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "prompt" TEXT NOT NULL,
    "sources" TEXT[],
    "method" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "datasetId" TEXT NOT NULL,
    "heldOutExamples" INTEGER NOT NULL,
    "detectionAuroc" DOUBLE PRECISION,
    "balancedAccuracy" DOUBLE PRECISION,
    "activatingExamples" INTEGER NOT NULL,
    "nonActivatingExamples" INTEGER NOT NULL,
    "localization" DOUBLE PRECISION,
    "localizationExamples" INTEGER NOT NULL,
    "tagAuroc" DOUBLE PRECISION,
    "tagPositives" INTEGER,
    "tagNegatives" INTEGER,
    "notes" TEXT[],
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LabelScore_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "LabelScore_unitId_labelKey_key" ON "LabelScore"("unitId", "labelKey");

-- CreateIndex
CREATE INDEX "Unit_modelId_bestLabelScore_idx" ON "Unit"("modelId", "bestLabelScore");

-- AddForeignKey
ALTER TABLE "LabelScore" ADD CONSTRAINT "LabelScore_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE CASCADE ON UPDATE CASCADE;
