-- AlterTable
ALTER TABLE "account" ADD COLUMN     "wallet_changed_at" TIMESTAMPTZ(3);
