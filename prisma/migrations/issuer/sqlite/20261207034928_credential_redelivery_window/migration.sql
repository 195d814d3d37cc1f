-- AlterTable
ALTER TABLE "MilestoneRecord" ADD COLUMN "redeliverableUntil" DATETIME;

-- CreateIndex
CREATE INDEX "MilestoneRecord_redeliverableUntil_idx" ON "MilestoneRecord"("redeliverableUntil");


-- Credentials signed before this migration were kept without limit: they may be fetched again for a
-- day after signing (the default window), then the erasure job removes them.
UPDATE "MilestoneRecord" SET "redeliverableUntil" = strftime('%Y-%m-%dT%H:%M:%f+00:00', "issuedAt", '+1 day') WHERE "credentialJwt" IS NOT NULL AND "issuedAt" IS NOT NULL;
