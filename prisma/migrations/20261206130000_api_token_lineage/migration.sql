-- Token lineage: a token minted with another token records its parent; revoking (or deleting) a parent
-- revokes (deletes) its children, and a child's expiry and scopes are capped at the parent's.
-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN "parentId" TEXT;

-- CreateIndex
CREATE INDEX "ApiToken_parentId_idx" ON "ApiToken"("parentId");

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "ApiToken"("id") ON DELETE CASCADE ON UPDATE CASCADE;
