-- AlterTable
ALTER TABLE "claim" ADD COLUMN     "payout_address" TEXT,
ADD COLUMN     "signed_transaction" TEXT;

-- AlterTable
ALTER TABLE "claim_line" ALTER COLUMN "amount_usd" SET DATA TYPE DECIMAL(60,36);
