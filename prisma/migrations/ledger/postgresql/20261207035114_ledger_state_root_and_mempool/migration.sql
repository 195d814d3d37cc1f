-- AlterTable
ALTER TABLE "LedgerBlock" ADD COLUMN     "stateRoot" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "LedgerPendingTransaction" (
    "hash" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "raw" TEXT NOT NULL,
    "sender" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "isAdmin" BOOLEAN NOT NULL,
    "mac" TEXT NOT NULL,

    CONSTRAINT "LedgerPendingTransaction_pkey" PRIMARY KEY ("hash")
);

-- CreateIndex
CREATE UNIQUE INDEX "LedgerPendingTransaction_seq_key" ON "LedgerPendingTransaction"("seq");

