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
CREATE TABLE "WalletMeta" (
    "key" TEXT NOT NULL,

    CONSTRAINT "WalletMeta_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "StoredKey_owner_idx" ON "StoredKey"("owner");

-- CreateIndex
CREATE UNIQUE INDEX "StoredKey_owner_alias_key" ON "StoredKey"("owner", "alias");

