-- Hand-written: what Prisma cannot express (docs/perpetual-earnings.md). Kept apart from generated migrations.

-- At most one claim in flight per account: backs the row lock taken by the claim transaction, so a second
-- PENDING claim cannot exist even if a code path forgot the lock.
CREATE UNIQUE INDEX "claim_one_pending_per_account" ON "claim"("account_id") WHERE "status" = 'PENDING';

-- The reconciler scans only claims in flight.
CREATE INDEX "claim_pending_updated_at" ON "claim"("updated_at") WHERE "status" = 'PENDING';
