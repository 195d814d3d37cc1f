-- AlterTable
ALTER TABLE "PresentationRequest" ADD COLUMN "asOf" TEXT;
ALTER TABLE "PresentationRequest" ADD COLUMN "declaredFactsJson" TEXT;

