-- DropIndex
DROP INDEX "account_referrer_id_idx";

-- CreateIndex
CREATE INDEX "account_referrer_id_referred_at_id_idx" ON "account"("referrer_id", "referred_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "fee_transaction_created_at_idx" ON "fee_transaction"("created_at" DESC);
