-- CreateEnum
CREATE TYPE "AccountKind" AS ENUM ('USER', 'PROVIDER');

-- CreateEnum
CREATE TYPE "Unit" AS ENUM ('POINTS', 'USD', 'KES', 'NGN', 'UGX', 'GHS', 'ETB', 'CDF');

-- CreateEnum
CREATE TYPE "Currency" AS ENUM ('KES', 'NGN', 'UGX', 'GHS', 'ETB', 'CDF');

-- CreateEnum
CREATE TYPE "LedgerKind" AS ENUM ('BASE', 'DIRECT_BONUS', 'SHARE', 'ROLLUP');

-- CreateEnum
CREATE TYPE "EventType" AS ENUM ('USAGE', 'COMPUTE');

-- CreateEnum
CREATE TYPE "TransactionType" AS ENUM ('OFFRAMP', 'PAY');

-- CreateEnum
CREATE TYPE "ClaimStatus" AS ENUM ('PENDING', 'COMPLETED', 'FAILED');

-- CreateEnum
CREATE TYPE "ApiKeyKind" AS ENUM ('SECRET', 'PUBLISHABLE');

-- CreateTable
CREATE TABLE "account" (
    "id" TEXT NOT NULL,
    "kind" "AccountKind" NOT NULL,
    "referrer_id" TEXT,
    "ancestor2_id" TEXT,
    "ancestor3_id" TEXT,
    "referred_at" TIMESTAMPTZ(3),
    "wallet_address" TEXT,
    "email" TEXT,
    "password_hash" TEXT,
    "external_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reward_event" (
    "type" "EventType" NOT NULL,
    "external_id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "result" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reward_event_pkey" PRIMARY KEY ("type","external_id")
);

-- CreateTable
CREATE TABLE "ledger_entry" (
    "id" BIGSERIAL NOT NULL,
    "account_id" TEXT NOT NULL,
    "unit" "Unit" NOT NULL,
    "amount" DECIMAL(38,18) NOT NULL,
    "kind" "LedgerKind" NOT NULL,
    "level" SMALLINT NOT NULL,
    "source_event" TEXT NOT NULL,
    "origin_account_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "account_total" (
    "account_id" TEXT NOT NULL,
    "unit" "Unit" NOT NULL,
    "slot" SMALLINT NOT NULL,
    "base" DECIMAL(38,18) NOT NULL DEFAULT 0,
    "direct_bonus" DECIMAL(38,18) NOT NULL DEFAULT 0,
    "level1" DECIMAL(38,18) NOT NULL DEFAULT 0,
    "level2" DECIMAL(38,18) NOT NULL DEFAULT 0,
    "level3" DECIMAL(38,18) NOT NULL DEFAULT 0,

    CONSTRAINT "account_total_pkey" PRIMARY KEY ("account_id","unit","slot")
);

-- CreateTable
CREATE TABLE "account_daily" (
    "account_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "unit" "Unit" NOT NULL,
    "slot" SMALLINT NOT NULL,
    "base" DECIMAL(38,18) NOT NULL DEFAULT 0,
    "direct_bonus" DECIMAL(38,18) NOT NULL DEFAULT 0,
    "level1" DECIMAL(38,18) NOT NULL DEFAULT 0,
    "level2" DECIMAL(38,18) NOT NULL DEFAULT 0,
    "level3" DECIMAL(38,18) NOT NULL DEFAULT 0,

    CONSTRAINT "account_daily_pkey" PRIMARY KEY ("account_id","day","unit","slot")
);

-- CreateTable
CREATE TABLE "network_count" (
    "account_id" TEXT NOT NULL,
    "slot" SMALLINT NOT NULL,
    "direct" INTEGER NOT NULL DEFAULT 0,
    "secondary" INTEGER NOT NULL DEFAULT 0,
    "tertiary" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "network_count_pkey" PRIMARY KEY ("account_id","slot")
);

-- CreateTable
CREATE TABLE "referral_contribution" (
    "beneficiary_id" TEXT NOT NULL,
    "origin_id" TEXT NOT NULL,
    "level" SMALLINT NOT NULL,
    "unit" "Unit" NOT NULL,
    "total" DECIMAL(38,18) NOT NULL DEFAULT 0,
    "last_earned_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "referral_contribution_pkey" PRIMARY KEY ("beneficiary_id","origin_id","unit")
);

-- CreateTable
CREATE TABLE "fee_transaction" (
    "order_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "type" "TransactionType" NOT NULL,
    "currency" "Currency" NOT NULL,
    "amount" DECIMAL(38,18) NOT NULL,
    "fee" DECIMAL(38,18) NOT NULL,
    "referrer_fee" DECIMAL(38,18) NOT NULL,
    "platform_fee" DECIMAL(38,18) NOT NULL,
    "referrer_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "fee_transaction_pkey" PRIMARY KEY ("order_id")
);

-- CreateTable
CREATE TABLE "fee_entry" (
    "id" UUID NOT NULL,
    "referrer_id" TEXT NOT NULL,
    "transactor_id" TEXT NOT NULL,
    "order_id" TEXT NOT NULL,
    "currency" "Currency" NOT NULL,
    "amount_local" DECIMAL(38,18) NOT NULL,
    "claim_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "fee_entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "claim" (
    "id" UUID NOT NULL,
    "account_id" TEXT NOT NULL,
    "status" "ClaimStatus" NOT NULL,
    "amount_usd" DECIMAL(38,18) NOT NULL,
    "wallet_address" TEXT NOT NULL,
    "transaction_hash" TEXT,
    "nonce" INTEGER,
    "failure_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "claim_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "claim_line" (
    "claim_id" UUID NOT NULL,
    "currency" "Currency" NOT NULL,
    "amount_local" DECIMAL(38,18) NOT NULL,
    "usd_rate" DECIMAL(38,18) NOT NULL,
    "rate_source" TEXT NOT NULL,
    "rate_updated_at" TIMESTAMPTZ(3) NOT NULL,
    "amount_usd" DECIMAL(38,18) NOT NULL,
    "entry_count" INTEGER NOT NULL,

    CONSTRAINT "claim_line_pkey" PRIMARY KEY ("claim_id","currency")
);

-- CreateTable
CREATE TABLE "fx_rate" (
    "currency" "Currency" NOT NULL,
    "usd_rate" DECIMAL(38,18) NOT NULL,
    "source" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "fx_rate_pkey" PRIMARY KEY ("currency")
);

-- CreateTable
CREATE TABLE "fx_rate_history" (
    "id" BIGSERIAL NOT NULL,
    "currency" "Currency" NOT NULL,
    "usd_rate" DECIMAL(38,18) NOT NULL,
    "source" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "fx_rate_history_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_key" (
    "id" UUID NOT NULL,
    "kind" "ApiKeyKind" NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "auth_nonce" (
    "nonce" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),

    CONSTRAINT "auth_nonce_pkey" PRIMARY KEY ("nonce")
);

-- CreateIndex
CREATE UNIQUE INDEX "account_wallet_address_key" ON "account"("wallet_address");

-- CreateIndex
CREATE UNIQUE INDEX "account_email_key" ON "account"("email");

-- CreateIndex
CREATE UNIQUE INDEX "account_external_id_key" ON "account"("external_id");

-- CreateIndex
CREATE INDEX "account_referrer_id_idx" ON "account"("referrer_id");

-- CreateIndex
CREATE INDEX "account_ancestor2_id_idx" ON "account"("ancestor2_id");

-- CreateIndex
CREATE INDEX "account_ancestor3_id_idx" ON "account"("ancestor3_id");

-- CreateIndex
CREATE INDEX "reward_event_account_id_created_at_idx" ON "reward_event"("account_id", "created_at");

-- CreateIndex
CREATE INDEX "ledger_entry_account_id_created_at_idx" ON "ledger_entry"("account_id", "created_at");

-- CreateIndex
CREATE INDEX "ledger_entry_created_at_idx" ON "ledger_entry"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_entry_source_event_level_key" ON "ledger_entry"("source_event", "level");

-- CreateIndex
CREATE INDEX "referral_contribution_beneficiary_id_last_earned_at_idx" ON "referral_contribution"("beneficiary_id", "last_earned_at");

-- CreateIndex
CREATE INDEX "fee_transaction_user_id_created_at_idx" ON "fee_transaction"("user_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "fee_entry_order_id_key" ON "fee_entry"("order_id");

-- CreateIndex
CREATE INDEX "fee_entry_referrer_id_claim_id_created_at_idx" ON "fee_entry"("referrer_id", "claim_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "fee_entry_claim_id_idx" ON "fee_entry"("claim_id");

-- CreateIndex
CREATE INDEX "claim_account_id_created_at_idx" ON "claim"("account_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "claim_status_updated_at_idx" ON "claim"("status", "updated_at");

-- CreateIndex
CREATE INDEX "fx_rate_history_currency_created_at_idx" ON "fx_rate_history"("currency", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "api_key_prefix_key" ON "api_key"("prefix");

-- CreateIndex
CREATE INDEX "auth_nonce_expires_at_idx" ON "auth_nonce"("expires_at");

-- AddForeignKey
ALTER TABLE "account" ADD CONSTRAINT "account_referrer_id_fkey" FOREIGN KEY ("referrer_id") REFERENCES "account"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "fee_entry" ADD CONSTRAINT "fee_entry_claim_id_fkey" FOREIGN KEY ("claim_id") REFERENCES "claim"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claim_line" ADD CONSTRAINT "claim_line_claim_id_fkey" FOREIGN KEY ("claim_id") REFERENCES "claim"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
