-- AlterTable
ALTER TABLE "PresentationRequest" ADD COLUMN     "asOf" TEXT,
ADD COLUMN     "declaredFactsJson" TEXT;

