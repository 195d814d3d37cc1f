-- DropIndex
DROP INDEX "WalletCredential_caseId_idx";

-- AlterTable
ALTER TABLE "WalletCredential" DROP CONSTRAINT "WalletCredential_pkey",
ADD CONSTRAINT "WalletCredential_pkey" PRIMARY KEY ("caseId", "id");

-- DropTable
DROP TABLE "WalletIssuer";

