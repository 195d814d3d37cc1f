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
CREATE TABLE "WalletCase" (
    "id" TEXT NOT NULL,
    "holderDid" TEXT NOT NULL,
    "keyAlias" TEXT NOT NULL,
    "openedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WalletCase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WalletCredential" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "holderDid" TEXT NOT NULL,
    "jwt" TEXT NOT NULL,
    "types" TEXT NOT NULL,
    "milestoneType" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "credentialHash" TEXT NOT NULL,
    "milestoneDate" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "anchoringUri" TEXT,
    "inclusionProof" TEXT,
    "anchoredAt" TIMESTAMP(3),

    CONSTRAINT "WalletCredential_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WalletIssuer" (
    "did" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "credentialIssuer" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WalletIssuer_pkey" PRIMARY KEY ("did")
);

-- CreateTable
CREATE TABLE "WalletPresentationRequest" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "requestUrl" TEXT NOT NULL,
    "verifierDid" TEXT NOT NULL,
    "verifierName" TEXT,
    "definition" TEXT NOT NULL,
    "verifiedRequest" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "result" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3),
    "answeredAt" TIMESTAMP(3),

    CONSTRAINT "WalletPresentationRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WalletSession" (
    "id" TEXT NOT NULL,
    "party" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "authorityId" TEXT,
    "authorityName" TEXT,
    "issuableTypes" TEXT NOT NULL DEFAULT '[]',
    "sealedServiceToken" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WalletSession_pkey" PRIMARY KEY ("id")
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

