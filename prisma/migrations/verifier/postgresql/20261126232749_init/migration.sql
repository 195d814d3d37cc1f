-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "StoredKey" (
    "kid" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "alias" TEXT,
    "keyType" TEXT NOT NULL,
    "publicKeyHex" TEXT NOT NULL,
    "encryptedPrivateKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StoredKey_pkey" PRIMARY KEY ("kid")
);

-- CreateTable
CREATE TABLE "ServiceSetting" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ServiceSetting_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "VerifierStaff" (
    "id" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabledAt" TIMESTAMP(3),

    CONSTRAINT "VerifierStaff_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VerifierToken" (
    "tokenHash" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "staffId" TEXT,
    "name" TEXT,
    "role" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "VerifierToken_pkey" PRIMARY KEY ("tokenHash")
);

-- CreateTable
CREATE TABLE "VerifierNonce" (
    "nonce" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "consumedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "VerifierNonce_pkey" PRIMARY KEY ("nonce")
);

-- CreateTable
CREATE TABLE "PresentationRequest" (
    "id" TEXT NOT NULL,
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
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "answeredAt" TIMESTAMP(3),

    CONSTRAINT "PresentationRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VerificationReport" (
    "id" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "verdict" TEXT NOT NULL,
    "credentials" INTEGER NOT NULL,
    "reportJson" TEXT NOT NULL,

    CONSTRAINT "VerificationReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VerificationLogEntry" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "reportId" TEXT,
    "verdict" TEXT,
    "stepOutcomes" TEXT NOT NULL,
    "durationMs" INTEGER NOT NULL,

    CONSTRAINT "VerificationLogEntry_pkey" PRIMARY KEY ("id")
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

