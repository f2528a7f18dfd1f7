-- Gated SAEs (SAELens "gated": b_gate, r_mag, b_mag) can be imported and built like the other architectures.
-- AlterEnum
ALTER TYPE "SaeArchitecture" ADD VALUE 'GATED';

-- A dictionary replaced by an import keeps its id and folder; updatedAt tells runners holding the old weights.
-- AlterTable
ALTER TABLE "Dictionary" ADD COLUMN "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
