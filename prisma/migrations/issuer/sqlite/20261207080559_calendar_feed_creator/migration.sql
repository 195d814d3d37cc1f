-- AlterTable
ALTER TABLE "CalendarFeed" ADD COLUMN "createdById" TEXT;
ALTER TABLE "CalendarFeed" ADD COLUMN "createdByType" TEXT;
ALTER TABLE "CalendarFeed" ADD COLUMN "expiresAt" DATETIME;

-- CreateIndex
CREATE INDEX "CalendarFeed_createdById_idx" ON "CalendarFeed"("createdById");


-- A feed made before its creator was recorded cannot be tied to anyone's access: revoked now (the
-- authority makes a new one; see issuer/README.md).
UPDATE "CalendarFeed" SET "revokedAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') WHERE "createdById" IS NULL AND "revokedAt" IS NULL;
