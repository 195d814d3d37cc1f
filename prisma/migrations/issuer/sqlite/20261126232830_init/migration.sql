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
CREATE TABLE "Authority" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "did" TEXT,
    "controllerKid" TEXT,
    "assertionKid" TEXT,
    "attributeUrl" TEXT,
    "proxyId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "StaffAccount" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "authorityId" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabledAt" DATETIME
);

-- CreateTable
CREATE TABLE "StaffSession" (
    "tokenHash" TEXT NOT NULL PRIMARY KEY,
    "staffId" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "authorityId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" DATETIME
);

-- CreateTable
CREATE TABLE "IssuerCase" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "holderDid" TEXT NOT NULL,
    "openedBy" TEXT NOT NULL,
    "fileNumber" TEXT,
    "headHash" TEXT,
    "headVersion" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "CaseGrant" (
    "caseId" TEXT NOT NULL,
    "authorityId" TEXT NOT NULL,
    "grantedBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("caseId", "authorityId")
);

-- CreateTable
CREATE TABLE "MilestoneRecord" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "caseId" TEXT NOT NULL,
    "authorityId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "claimsJson" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "suspended" BOOLEAN NOT NULL DEFAULT false,
    "supersedesId" TEXT,
    "delivery" TEXT NOT NULL DEFAULT 'in-time',
    "preAuthCodeHash" TEXT NOT NULL,
    "txCodeHash" TEXT NOT NULL,
    "txCodeAttempts" INTEGER NOT NULL DEFAULT 0,
    "codeRedeemedAt" DATETIME,
    "offerExpiresAt" DATETIME NOT NULL,
    "credentialJwt" TEXT,
    "credentialHash" TEXT,
    "credentialId" TEXT,
    "previousHash" TEXT,
    "revocationListId" TEXT,
    "revocationIndex" INTEGER,
    "suspensionListId" TEXT,
    "suspensionIndex" INTEGER,
    "acceptanceTokenHash" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "issuedAt" DATETIME,
    "revokedAt" DATETIME
);

-- CreateTable
CREATE TABLE "StatusList" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "authorityId" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "size" INTEGER NOT NULL,
    "allocated" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "StatusEntry" (
    "listId" TEXT NOT NULL,
    "statusIndex" INTEGER NOT NULL,
    "milestoneId" TEXT NOT NULL,
    "setBit" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("listId", "statusIndex")
);

-- CreateTable
CREATE TABLE "UsedNonce" (
    "nonce" TEXT NOT NULL PRIMARY KEY,
    "expiresAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "IdempotencyRecord" (
    "principal" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "responseJson" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("principal", "key")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "authorityId" TEXT,
    "actorType" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "caseId" TEXT,
    "subjectId" TEXT,
    "outcome" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "AnchorLeaf" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "milestoneId" TEXT NOT NULL,
    "leafHex" TEXT NOT NULL,
    "batchId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "AnchorBatch" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "rootHex" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "leavesJson" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "txHash" TEXT,
    "timestampId" TEXT,
    "blockNumber" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "anchoredAt" DATETIME
);

-- CreateIndex
CREATE INDEX "StoredKey_owner_idx" ON "StoredKey"("owner");

-- CreateIndex
CREATE UNIQUE INDEX "StoredKey_owner_alias_key" ON "StoredKey"("owner", "alias");

-- CreateIndex
CREATE UNIQUE INDEX "Authority_did_key" ON "Authority"("did");

-- CreateIndex
CREATE UNIQUE INDEX "StaffAccount_username_key" ON "StaffAccount"("username");

-- CreateIndex
CREATE INDEX "StaffAccount_authorityId_idx" ON "StaffAccount"("authorityId");

-- CreateIndex
CREATE INDEX "StaffSession_staffId_idx" ON "StaffSession"("staffId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ApiToken_authorityId_idx" ON "ApiToken"("authorityId");

-- CreateIndex
CREATE UNIQUE INDEX "IssuerCase_holderDid_key" ON "IssuerCase"("holderDid");

-- CreateIndex
CREATE INDEX "CaseGrant_authorityId_idx" ON "CaseGrant"("authorityId");

-- CreateIndex
CREATE UNIQUE INDEX "MilestoneRecord_preAuthCodeHash_key" ON "MilestoneRecord"("preAuthCodeHash");

-- CreateIndex
CREATE UNIQUE INDEX "MilestoneRecord_credentialHash_key" ON "MilestoneRecord"("credentialHash");

-- CreateIndex
CREATE UNIQUE INDEX "MilestoneRecord_credentialId_key" ON "MilestoneRecord"("credentialId");

-- CreateIndex
CREATE UNIQUE INDEX "MilestoneRecord_acceptanceTokenHash_key" ON "MilestoneRecord"("acceptanceTokenHash");

-- CreateIndex
CREATE INDEX "MilestoneRecord_caseId_idx" ON "MilestoneRecord"("caseId");

-- CreateIndex
CREATE INDEX "MilestoneRecord_authorityId_idx" ON "MilestoneRecord"("authorityId");

-- CreateIndex
CREATE UNIQUE INDEX "StatusList_authorityId_purpose_number_key" ON "StatusList"("authorityId", "purpose", "number");

-- CreateIndex
CREATE INDEX "AuditEvent_authorityId_at_idx" ON "AuditEvent"("authorityId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "AnchorLeaf_milestoneId_key" ON "AnchorLeaf"("milestoneId");

-- CreateIndex
CREATE INDEX "AnchorLeaf_batchId_idx" ON "AnchorLeaf"("batchId");

-- CreateIndex
CREATE INDEX "AnchorBatch_state_idx" ON "AnchorBatch"("state");

