-- DropIndex
DROP INDEX "ledger_entry_created_at_idx";

-- AlterTable
ALTER TABLE "referral_contribution" ADD COLUMN     "previous_earned_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "active_referral_day" (
    "beneficiary_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "slot" SMALLINT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "active_referral_day_pkey" PRIMARY KEY ("beneficiary_id","day","slot")
);

-- CreateIndex
CREATE INDEX "referral_contribution_beneficiary_id_unit_total_origin_id_idx" ON "referral_contribution"("beneficiary_id", "unit", "total" DESC, "origin_id");
