-- Hand-written: Prisma cannot express functions.

-- An account's best referrals are the first rows of referral_contribution's (beneficiary_id, unit, total DESC,
-- origin_id) index. Every event that pays a share changes `total`, an indexed column, so each update leaves a dead
-- index entry behind until vacuum runs: right after heavy ingestion the largest network's range held 108,384
-- entries for 688 live rows. A bitmap scan visits every one of them (≈ 15 ms) and never marks them dead; an
-- ordered index scan stops after the first ten live rows and marks the dead ones it passed, so the next read skips
-- them (≈ 0.05 ms, then 0.01 ms). Statistics that still describe a small table, which is exactly the state of a
-- table that grew a minute ago, make the planner pick the bitmap scan, or the primary key's range sorted
-- afterwards (every version of every row of the account: 105,939 pages, 26 ms). This function fixes the walk
-- instead of leaving it to statistics: with bitmap scans, sequential scans and sorts off, the ordered index scan is
-- the only plan left. (The aggregate's own ORDER BY sorts ten rows inside json_agg, which enable_sort leaves alone.)
CREATE FUNCTION top_referrals(beneficiary text, unit_ "Unit", n int) RETURNS json
LANGUAGE sql STABLE
SET enable_bitmapscan = off
SET enable_seqscan = off
SET enable_sort = off
AS $$
  SELECT json_agg(json_build_array(origin_id, level, total::text) ORDER BY total DESC, origin_id)
  FROM (
    SELECT origin_id, level, total FROM referral_contribution
    WHERE beneficiary_id = beneficiary AND unit = unit_
    ORDER BY total DESC, origin_id
    LIMIT n
  ) best
$$;
