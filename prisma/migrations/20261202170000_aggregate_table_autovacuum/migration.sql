-- Hand-written: Prisma cannot express storage parameters.

-- The tables behind referral stats are small and rewritten by every event: each usage event updates a totals row,
-- a day row, contributions and activity buckets of four accounts. With the defaults, autovacuum waits for 20 % of
-- a table to be dead (10 % changed for ANALYZE), which a table that grew from nothing reaches many times over
-- before it is looked at, and dead versions pile up in the pages the stats read. Vacuum and analyze them after
-- 1 % of their rows (at least 1,000) changed instead: small tables, cheap rounds, reads stay on compact pages and
-- the planner's picture follows their growth. The stats statement itself (lib/rewards/stats.ts) reads each by its
-- key, so its plan does not depend on these statistics being fresh.
ALTER TABLE "account_total" SET (
  autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000,
  autovacuum_analyze_scale_factor = 0.01, autovacuum_analyze_threshold = 1000
);
ALTER TABLE "account_daily" SET (
  autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000,
  autovacuum_analyze_scale_factor = 0.01, autovacuum_analyze_threshold = 1000
);
ALTER TABLE "referral_contribution" SET (
  autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000,
  autovacuum_analyze_scale_factor = 0.01, autovacuum_analyze_threshold = 1000
);
ALTER TABLE "active_referral_day" SET (
  autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000,
  autovacuum_analyze_scale_factor = 0.01, autovacuum_analyze_threshold = 1000
);
ALTER TABLE "network_count" SET (
  autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000,
  autovacuum_analyze_scale_factor = 0.01, autovacuum_analyze_threshold = 1000
);
