-- CreateTable
CREATE TABLE "AttemptCounter" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "attempts" INTEGER NOT NULL,
    "windowEnds" BIGINT NOT NULL
);

-- CreateIndex
CREATE INDEX "AttemptCounter_windowEnds_idx" ON "AttemptCounter"("windowEnds");


-- API tokens made before they expired get the default lifetime (90 days) from this migration on.
UPDATE "VerifierToken" SET "expiresAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now', '+90 days') WHERE "kind" = 'api' AND "expiresAt" IS NULL;
