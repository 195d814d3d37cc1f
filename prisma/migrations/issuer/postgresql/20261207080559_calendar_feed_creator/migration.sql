-- AlterTable
ALTER TABLE "CalendarFeed" ADD COLUMN     "createdById" TEXT,
ADD COLUMN     "createdByType" TEXT,
ADD COLUMN     "expiresAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "CalendarFeed_createdById_idx" ON "CalendarFeed"("createdById");


-- A feed made before its creator was recorded cannot be tied to anyone's access: revoked now (the
-- authority makes a new one; see issuer/README.md).
UPDATE "CalendarFeed" SET "revokedAt" = (CURRENT_TIMESTAMP AT TIME ZONE 'UTC') WHERE "createdById" IS NULL AND "revokedAt" IS NULL;
