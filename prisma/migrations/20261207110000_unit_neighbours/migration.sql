-- Similar units and unit-set maps (issue 17 §3): each unit's nearest units by decoder / weight direction cosine and
-- by activation correlation over the probe set, and its UMAP coordinates, written by the atlas build's finalize.

-- CreateEnum
CREATE TYPE "NeighbourKind" AS ENUM ('DECODER_COSINE', 'ACTIVATION_CORRELATION');

-- CreateTable
CREATE TABLE "UnitNeighbour" (
    "unitId" TEXT NOT NULL,
    "kind" "NeighbourKind" NOT NULL,
    "rank" INTEGER NOT NULL,
    "neighbourId" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "UnitNeighbour_pkey" PRIMARY KEY ("unitId","kind","rank")
);

-- CreateTable
CREATE TABLE "UnitMapPoint" (
    "unitId" TEXT NOT NULL,
    "x" DOUBLE PRECISION NOT NULL,
    "y" DOUBLE PRECISION NOT NULL,
    "source" "NeighbourKind" NOT NULL,

    CONSTRAINT "UnitMapPoint_pkey" PRIMARY KEY ("unitId")
);

-- CreateIndex
CREATE INDEX "UnitNeighbour_neighbourId_idx" ON "UnitNeighbour"("neighbourId");

-- AddForeignKey
ALTER TABLE "UnitNeighbour" ADD CONSTRAINT "UnitNeighbour_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UnitNeighbour" ADD CONSTRAINT "UnitNeighbour_neighbourId_fkey" FOREIGN KEY ("neighbourId") REFERENCES "Unit"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UnitMapPoint" ADD CONSTRAINT "UnitMapPoint_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE CASCADE ON UPDATE CASCADE;
