-- Hand-written: what Prisma cannot express. Kept apart from generated migrations.

-- The compaction job (lib/rewards/compact.ts) walks raw ledger rows oldest first; without this partial index it
-- would step over every ROLLUP row of every day already compacted on each run.
CREATE INDEX "ledger_entry_raw_created_at" ON "ledger_entry"("created_at") WHERE "kind" <> 'ROLLUP';
