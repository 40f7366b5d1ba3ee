-- CreateEnum
CREATE TYPE "FeeEntryKind" AS ENUM ('FEE', 'CLAWBACK', 'ADJUSTMENT');

-- CreateEnum
CREATE TYPE "ReversalSource" AS ENUM ('USAGE', 'COMPUTE', 'TRANSACTION');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "LedgerKind" ADD VALUE 'REVERSAL';
ALTER TYPE "LedgerKind" ADD VALUE 'ADJUSTMENT';

-- DropIndex
DROP INDEX "fee_entry_order_id_key";

-- AlterTable
ALTER TABLE "account_daily" ADD COLUMN     "adjustments" DECIMAL(38,18) NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "account_total" ADD COLUMN     "adjustments" DECIMAL(38,18) NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "fee_entry" ADD COLUMN     "available_at" TIMESTAMPTZ(3),
ADD COLUMN     "kind" "FeeEntryKind" NOT NULL DEFAULT 'FEE',
ADD COLUMN     "reversal_id" TEXT,
ADD COLUMN     "voided_at" TIMESTAMPTZ(3),
ALTER COLUMN "transactor_id" DROP NOT NULL;

-- Entries recorded before holds existed were claimable at once.
UPDATE "fee_entry" SET "available_at" = "created_at";
ALTER TABLE "fee_entry" ALTER COLUMN "available_at" SET NOT NULL;

-- CreateTable
CREATE TABLE "reversal" (
    "reversal_id" TEXT NOT NULL,
    "source" "ReversalSource" NOT NULL,
    "source_id" TEXT NOT NULL,
    "reason" TEXT,
    "result" JSONB NOT NULL,
    "actor" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reversal_pkey" PRIMARY KEY ("reversal_id")
);

-- CreateTable
CREATE TABLE "adjustment" (
    "id" UUID NOT NULL,
    "adjustment_id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "unit" "Unit" NOT NULL,
    "amount" DECIMAL(38,18) NOT NULL,
    "reason" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "adjustment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "reversal_source_source_id_key" ON "reversal"("source", "source_id");

-- CreateIndex
CREATE UNIQUE INDEX "adjustment_adjustment_id_key" ON "adjustment"("adjustment_id");

-- CreateIndex
CREATE INDEX "adjustment_account_id_created_at_idx" ON "adjustment"("account_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "fee_entry_order_id_kind_key" ON "fee_entry"("order_id", "kind");
