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
CREATE TABLE "LedgerMeta" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL
);

-- CreateIndex
CREATE INDEX "StoredKey_owner_idx" ON "StoredKey"("owner");

-- CreateIndex
CREATE UNIQUE INDEX "StoredKey_owner_alias_key" ON "StoredKey"("owner", "alias");

