-- CreateEnum
CREATE TYPE "RiskSignalStatus" AS ENUM ('OPEN', 'RESOLVED');

-- AlterTable
ALTER TABLE "account" ADD COLUMN     "frozen_at" TIMESTAMPTZ(3),
ADD COLUMN     "frozen_reason" TEXT;

-- CreateTable
CREATE TABLE "wallet_link" (
    "address" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "linked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "wallet_link_pkey" PRIMARY KEY ("address","account_id")
);

-- CreateTable
CREATE TABLE "risk_signal" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    "status" "RiskSignalStatus" NOT NULL DEFAULT 'OPEN',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),
    "resolved_by" TEXT,
    "resolution" TEXT,

    CONSTRAINT "risk_signal_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "wallet_link_account_id_idx" ON "wallet_link"("account_id");

-- CreateIndex
CREATE INDEX "risk_signal_status_created_at_id_idx" ON "risk_signal"("status", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "risk_signal_account_id_created_at_idx" ON "risk_signal"("account_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "risk_signal_kind_account_id_subject_key" ON "risk_signal"("kind", "account_id", "subject");
