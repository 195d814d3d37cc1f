-- DropIndex
DROP INDEX "StaffAccount_username_key";

-- DropIndex
DROP INDEX "StaffAccount_authorityId_idx";

-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN "expiresAt" DATETIME;

-- CreateTable
CREATE TABLE "AttemptCounter" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "attempts" INTEGER NOT NULL,
    "windowEnds" BIGINT NOT NULL
);

-- CreateIndex
CREATE INDEX "AttemptCounter_windowEnds_idx" ON "AttemptCounter"("windowEnds");

-- CreateIndex
CREATE INDEX "StaffAccount_username_idx" ON "StaffAccount"("username");

-- CreateIndex
CREATE UNIQUE INDEX "StaffAccount_authorityId_username_key" ON "StaffAccount"("authorityId", "username");


-- API tokens made before they expired get the default lifetime (90 days) from this migration on.
UPDATE "ApiToken" SET "expiresAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now', '+90 days') WHERE "expiresAt" IS NULL;
