-- CreateTable
CREATE TABLE "AttemptCounter" (
    "key" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "windowEnds" BIGINT NOT NULL,

    CONSTRAINT "AttemptCounter_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "AttemptCounter_windowEnds_idx" ON "AttemptCounter"("windowEnds");


-- API tokens made before they expired get the default lifetime (90 days) from this migration on.
UPDATE "VerifierToken" SET "expiresAt" = (CURRENT_TIMESTAMP AT TIME ZONE 'UTC') + INTERVAL '90 days' WHERE "kind" = 'api' AND "expiresAt" IS NULL;
