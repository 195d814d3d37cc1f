-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "WalletIssuer";
PRAGMA foreign_keys=on;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_WalletCredential" (
    "id" TEXT NOT NULL,
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
    "anchoredAt" DATETIME,

    PRIMARY KEY ("caseId", "id")
);
INSERT INTO "new_WalletCredential" ("anchoredAt", "anchoringUri", "caseId", "credentialHash", "holderDid", "id", "inclusionProof", "issuer", "jwt", "milestoneDate", "milestoneType", "receivedAt", "types") SELECT "anchoredAt", "anchoringUri", "caseId", "credentialHash", "holderDid", "id", "inclusionProof", "issuer", "jwt", "milestoneDate", "milestoneType", "receivedAt", "types" FROM "WalletCredential";
DROP TABLE "WalletCredential";
ALTER TABLE "new_WalletCredential" RENAME TO "WalletCredential";
CREATE INDEX "WalletCredential_holderDid_idx" ON "WalletCredential"("holderDid");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

