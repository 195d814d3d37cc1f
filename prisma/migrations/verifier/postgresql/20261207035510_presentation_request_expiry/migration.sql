-- CreateIndex
CREATE INDEX "PresentationRequest_status_expiresAt_idx" ON "PresentationRequest"("status", "expiresAt");


-- Erase the Eurodac reference of every request that is no longer open: before this migration a
-- request found expired when its answer arrived was closed with the reference still set.
UPDATE "PresentationRequest" SET "eurodacReference" = NULL WHERE "eurodacReference" IS NOT NULL AND "status" NOT IN ('created', 'fetched');
