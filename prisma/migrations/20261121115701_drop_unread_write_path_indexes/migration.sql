-- Indexes nothing reads, each a random-key insert on the ingestion path (docs/benchmarks.md): events and ledger
-- rows by account (per-account figures come from the maintained tables) and contributions by last earning (the
-- active-referral buckets replaced that read).

-- DropIndex
DROP INDEX "ledger_entry_account_id_created_at_idx";

-- DropIndex
DROP INDEX "referral_contribution_beneficiary_id_last_earned_at_idx";

-- DropIndex
DROP INDEX "reward_event_account_id_created_at_idx";
