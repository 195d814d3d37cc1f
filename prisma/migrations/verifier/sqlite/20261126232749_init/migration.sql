-- CreateTable
CREATE TABLE "StoredKey" (
    "kid" TEXT NOT NULL PRIMARY KEY,
    "owner" TEXT NOT NULL,
    "alias" TEXT,
    "keyType" TEXT NOT NULL,
    "publicKeyHex" TEXT NOT NULL,
    "encryptedPrivateKey" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ServiceSetting" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "VerifierStaff" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "username" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabledAt" DATETIME
);

-- CreateTable
CREATE TABLE "VerifierToken" (
    "tokenHash" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "staffId" TEXT,
    "name" TEXT,
    "role" TEXT NOT NULL,
    "expiresAt" DATETIME,
    "revokedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "VerifierNonce" (
    "nonce" TEXT NOT NULL PRIMARY KEY,
    "purpose" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "consumedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "PresentationRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "state" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "definitionJson" TEXT NOT NULL,
    "redirectUri" TEXT NOT NULL,
    "eurodacReference" TEXT,
    "responseCode" TEXT,
    "reportId" TEXT,
    "error" TEXT,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "answeredAt" DATETIME
);

-- CreateTable
CREATE TABLE "VerificationReport" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "verdict" TEXT NOT NULL,
    "credentials" INTEGER NOT NULL,
    "reportJson" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "VerificationLogEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "reportId" TEXT,
    "verdict" TEXT,
    "stepOutcomes" TEXT NOT NULL,
    "durationMs" INTEGER NOT NULL
);

-- CreateIndex
CREATE INDEX "StoredKey_owner_idx" ON "StoredKey"("owner");

-- CreateIndex
CREATE UNIQUE INDEX "StoredKey_owner_alias_key" ON "StoredKey"("owner", "alias");

-- CreateIndex
CREATE UNIQUE INDEX "VerifierStaff_username_key" ON "VerifierStaff"("username");

-- CreateIndex
CREATE INDEX "VerifierToken_staffId_idx" ON "VerifierToken"("staffId");

-- CreateIndex
CREATE UNIQUE INDEX "PresentationRequest_state_key" ON "PresentationRequest"("state");

-- CreateIndex
CREATE UNIQUE INDEX "PresentationRequest_nonce_key" ON "PresentationRequest"("nonce");

-- CreateIndex
CREATE UNIQUE INDEX "PresentationRequest_responseCode_key" ON "PresentationRequest"("responseCode");

-- CreateIndex
CREATE INDEX "VerificationReport_createdAt_idx" ON "VerificationReport"("createdAt");

-- CreateIndex
CREATE INDEX "VerificationLogEntry_at_idx" ON "VerificationLogEntry"("at");

