-- CreateTable
CREATE TABLE "LedgerPendingTransaction" (
    "hash" TEXT NOT NULL PRIMARY KEY,
    "seq" INTEGER NOT NULL,
    "raw" TEXT NOT NULL,
    "sender" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "isAdmin" BOOLEAN NOT NULL,
    "mac" TEXT NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_LedgerBlock" (
    "number" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "hash" TEXT NOT NULL,
    "parentHash" TEXT NOT NULL,
    "transactionsRoot" TEXT NOT NULL,
    "timestamp" INTEGER NOT NULL,
    "txCount" INTEGER NOT NULL,
    "genesisDigest" TEXT NOT NULL,
    "signerKid" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "stateRoot" TEXT NOT NULL DEFAULT ''
);
INSERT INTO "new_LedgerBlock" ("genesisDigest", "hash", "number", "parentHash", "signature", "signerKid", "timestamp", "transactionsRoot", "txCount") SELECT "genesisDigest", "hash", "number", "parentHash", "signature", "signerKid", "timestamp", "transactionsRoot", "txCount" FROM "LedgerBlock";
DROP TABLE "LedgerBlock";
ALTER TABLE "new_LedgerBlock" RENAME TO "LedgerBlock";
CREATE UNIQUE INDEX "LedgerBlock_hash_key" ON "LedgerBlock"("hash");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "LedgerPendingTransaction_seq_key" ON "LedgerPendingTransaction"("seq");

