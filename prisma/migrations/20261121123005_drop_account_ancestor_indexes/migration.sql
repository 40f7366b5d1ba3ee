-- Nothing looks accounts up by ancestor2_id or ancestor3_id (rewards read them by primary key; two levels down
-- are reached through referrer_id). Unindexed, the late-apply rewrite of a network's ancestors can be HOT
-- (docs/benchmarks.md).

-- DropIndex
DROP INDEX "account_ancestor2_id_idx";

-- DropIndex
DROP INDEX "account_ancestor3_id_idx";
