/*
  Warnings:

  - A unique constraint covering the columns `[annotationId]` on the table `CollabDocument` will be added. If there are existing duplicate values, this will fail.

*/
-- AlterTable
ALTER TABLE "CollabDocument" ADD COLUMN     "annotationId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "CollabDocument_annotationId_key" ON "CollabDocument"("annotationId");

-- AddForeignKey
ALTER TABLE "CollabDocument" ADD CONSTRAINT "CollabDocument_annotationId_fkey" FOREIGN KEY ("annotationId") REFERENCES "Annotation"("id") ON DELETE SET NULL ON UPDATE CASCADE;
