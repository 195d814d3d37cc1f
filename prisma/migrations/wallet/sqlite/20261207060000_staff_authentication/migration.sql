-- CreateTable
CREATE TABLE "AttemptCounter" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "attempts" INTEGER NOT NULL,
    "windowEnds" BIGINT NOT NULL
);

-- CreateIndex
CREATE INDEX "AttemptCounter_windowEnds_idx" ON "AttemptCounter"("windowEnds");

