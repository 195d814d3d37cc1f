-- DropIndex
DROP INDEX "StaffAccount_username_key";

-- DropIndex
DROP INDEX "StaffAccount_authorityId_idx";

-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN     "expiresAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "AttemptCounter" (
    "key" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "windowEnds" BIGINT NOT NULL,

    CONSTRAINT "AttemptCounter_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "AttemptCounter_windowEnds_idx" ON "AttemptCounter"("windowEnds");

-- CreateIndex
CREATE INDEX "StaffAccount_username_idx" ON "StaffAccount"("username");

-- CreateIndex
CREATE UNIQUE INDEX "StaffAccount_authorityId_username_key" ON "StaffAccount"("authorityId", "username");


-- API tokens made before they expired get the default lifetime (90 days) from this migration on.
UPDATE "ApiToken" SET "expiresAt" = (CURRENT_TIMESTAMP AT TIME ZONE 'UTC') + INTERVAL '90 days' WHERE "expiresAt" IS NULL;
