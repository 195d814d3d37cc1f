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
CREATE TABLE "WalletCase" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "holderDid" TEXT NOT NULL,
    "keyAlias" TEXT NOT NULL,
    "openedBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "WalletCredential" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "caseId" TEXT NOT NULL,
    "holderDid" TEXT NOT NULL,
    "jwt" TEXT NOT NULL,
    "types" TEXT NOT NULL,
    "milestoneType" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "credentialHash" TEXT NOT NULL,
    "milestoneDate" TEXT,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "anchoringUri" TEXT,
    "inclusionProof" TEXT,
    "anchoredAt" DATETIME
);

-- CreateTable
CREATE TABLE "WalletIssuer" (
    "did" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "credentialIssuer" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "WalletPresentationRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "caseId" TEXT NOT NULL,
    "requestUrl" TEXT NOT NULL,
    "verifierDid" TEXT NOT NULL,
    "verifierName" TEXT,
    "definition" TEXT NOT NULL,
    "verifiedRequest" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "result" TEXT,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME,
    "answeredAt" DATETIME
);

-- CreateTable
CREATE TABLE "WalletSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "party" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "authorityId" TEXT,
    "authorityName" TEXT,
    "issuableTypes" TEXT NOT NULL DEFAULT '[]',
    "sealedServiceToken" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "StoredKey_owner_idx" ON "StoredKey"("owner");

-- CreateIndex
CREATE UNIQUE INDEX "StoredKey_owner_alias_key" ON "StoredKey"("owner", "alias");

-- CreateIndex
CREATE UNIQUE INDEX "WalletCase_holderDid_key" ON "WalletCase"("holderDid");

-- CreateIndex
CREATE UNIQUE INDEX "WalletCase_keyAlias_key" ON "WalletCase"("keyAlias");

-- CreateIndex
CREATE INDEX "WalletCase_openedBy_idx" ON "WalletCase"("openedBy");

-- CreateIndex
CREATE INDEX "WalletCredential_caseId_idx" ON "WalletCredential"("caseId");

-- CreateIndex
CREATE INDEX "WalletCredential_holderDid_idx" ON "WalletCredential"("holderDid");

-- CreateIndex
CREATE INDEX "WalletPresentationRequest_caseId_idx" ON "WalletPresentationRequest"("caseId");

-- CreateIndex
CREATE INDEX "WalletSession_expiresAt_idx" ON "WalletSession"("expiresAt");

