/**
 * The conservation check behind `npm run ledger:check`: recomputes from the ledger and the graph what the
 * engine maintains incrementally and lists every difference (an empty list means all is conserved).
 *
 * - every event's shares are exactly its base times the earner kind's rate in the rewards program version that
 *   produced them (rounded down to 18 decimals), on levels 1-3 only, and the stored reply of the event names the
 *   same amounts;
 *   (who received a share is not re-derived: a late apply changes ancestors, and a share goes to whoever the
 *   ancestors were when the event arrived)
 * - every direct bonus is the referrer kind's bonus in its program version, paid to the referred account's referrer;
 * - every reversal's rows are exactly its event's rows negated (never a direct bonus), and every POINTS adjustment
 *   is exactly one ADJUSTMENT row;
 * - account_total and account_daily equal the ledger's sums per account, column (and day); referral
 *   contributions equal the share sums per referral where the ledger still has the raw rows, and the
 *   active-referral buckets count each referral once, on the day it last paid a share;
 * - the graph: denormalized ancestors agree with the referrer chain, referrers are of the same kind, a
 *   referred account has its referred_at (the network tree pages on it), and network_count equals the actual
 *   counts.
 *
 * It reads whole tables: an offline job, not a request path. Each kind of problem lists at most
 * PROBLEMS_PER_CHECK examples.
 */
import "server-only";
import { Prisma, type Db } from "@/lib/db/client";

const PROBLEMS_PER_CHECK = 20;

/** The column of the totals a ledger row adds to; rollups carry theirs in the source event (see compact.ts). */
const COLUMN_SQL = Prisma.raw(`CASE WHEN l.kind = 'BASE' OR (l.kind = 'REVERSAL' AND l.level = 0) THEN 'base'
  WHEN l.kind = 'DIRECT_BONUS' THEN 'directBonus' WHEN l.kind IN ('SHARE', 'REVERSAL') THEN 'level' || l.level
  WHEN l.kind = 'ADJUSTMENT' THEN 'adjustments' ELSE split_part(l.source_event, ':', 2) END`);

const SUMS_SQL = Prisma.raw(`
  SUM(amount) FILTER (WHERE col = 'base') AS base, SUM(amount) FILTER (WHERE col = 'directBonus') AS direct_bonus,
  SUM(amount) FILTER (WHERE col = 'level1') AS level1, SUM(amount) FILTER (WHERE col = 'level2') AS level2,
  SUM(amount) FILTER (WHERE col = 'level3') AS level3, SUM(amount) FILTER (WHERE col = 'adjustments') AS adjustments`);

const DIFFERS_SQL = Prisma.raw(
  ["base", "direct_bonus", "level1", "level2", "level3", "adjustments"]
    .map((c) => `COALESCE(x.${c}, 0) <> COALESCE(m.${c}, 0)`)
    .join(" OR "),
);

export async function checkRewardsConservation(db: Db): Promise<string[]> {
  const limit = PROBLEMS_PER_CHECK;
  const problems: string[] = [];
  const report = <T>(rows: T[], describe: (row: T) => string) => problems.push(...rows.map(describe));

  report(
    await db.$queryRaw<{ id: bigint; kind: string; level: number; source_event: string }[]>`
      SELECT id, kind::text AS kind, level, source_event FROM ledger_entry
      WHERE level NOT BETWEEN 0 AND 3
         OR (kind = 'BASE' AND level <> 0) OR (kind = 'DIRECT_BONUS' AND level <> 1) OR (kind = 'SHARE' AND level = 0)
      LIMIT ${limit}`,
    (r) =>
      `ledger row ${r.id} (${r.source_event}): ${r.kind} on level ${r.level}${r.level > 3 ? " — nothing is paid beyond level 3" : ""}`,
  );

  report(
    await db.$queryRaw<
      { source_event: string; level: number; amount: string; base: string | null; kind: string | null; why: string }[]
    >`
      SELECT s.source_event, s.level, trim_scale(s.amount)::text AS amount, trim_scale(b.amount)::text AS base, a.kind::text AS kind,
             CASE WHEN b.id IS NULL THEN 'no base reward for this event'
                  WHEN s.origin_account_id IS DISTINCT FROM b.account_id THEN 'origin is not the earner'
                  ELSE 'amount is not rate × base' END AS why
      FROM ledger_entry s
      LEFT JOIN ledger_entry b ON b.source_event = s.source_event AND b.level = 0 AND b.kind = 'BASE'
      LEFT JOIN account a ON a.id = b.account_id
      LEFT JOIN program_version p ON p.name = 'rewards' AND p.version = s.program_version
      WHERE s.kind = 'SHARE' AND s.level BETWEEN 1 AND 3 AND (
        b.id IS NULL OR s.origin_account_id IS DISTINCT FROM b.account_id
        OR s.amount <> trunc(b.amount * COALESCE((p.document->'shares'->lower(a.kind::text)->>(s.level - 1))::numeric, 0) / 100, 18))
      LIMIT ${limit}`,
    (r) =>
      `share ${r.source_event} level ${r.level} = ${r.amount} (base ${r.base ?? "missing"}, earner ${r.kind ?? "?"}): ${r.why}`,
  );

  report(
    await db.$queryRaw<{ source_event: string }[]>`
      WITH ev AS (
        SELECT (CASE type WHEN 'USAGE' THEN 'usage:' ELSE 'compute:' END) || external_id AS src, account_id, result
        FROM reward_event
      )
      SELECT ev.src AS source_event FROM ev
      JOIN ledger_entry b ON b.source_event = ev.src AND b.level = 0 AND b.kind = 'BASE'
      WHERE b.account_id <> ev.account_id
         OR b.amount <> (ev.result->>'points')::numeric
         OR (SELECT COUNT(*) FROM ledger_entry s WHERE s.source_event = ev.src AND s.kind = 'SHARE')
            <> jsonb_array_length(ev.result->'shares')
         OR EXISTS (
           SELECT 1 FROM jsonb_array_elements(ev.result->'shares') x
           LEFT JOIN ledger_entry s ON s.source_event = ev.src AND s.level = (x->>'level')::int AND s.kind = 'SHARE'
           WHERE s.id IS NULL OR s.account_id <> x->>'accountId' OR s.amount <> (x->>'points')::numeric)
      LIMIT ${limit}`,
    (r) => `event ${r.source_event}: its stored reply and its ledger rows differ`,
  );

  report(
    await db.$queryRaw<{ source_event: string }[]>`
      SELECT l.source_event FROM ledger_entry l
      WHERE l.kind IN ('BASE', 'SHARE') AND NOT EXISTS (
        SELECT 1 FROM reward_event e
        WHERE (CASE e.type WHEN 'USAGE' THEN 'usage:' ELSE 'compute:' END) || e.external_id = l.source_event)
      LIMIT ${limit}`,
    (r) => `ledger rows of ${r.source_event} have no recorded event`,
  );

  // A reversal's rows are all written by one statement (one created_at), so compaction folds all or none of them:
  // a reversal with raw rows left must have exactly the negated rows of its event's stored reply.
  report(
    await db.$queryRaw<{ source_event: string; level: number }[]>`
      WITH reversed AS (
        SELECT 'reversal:' || lower(r.source::text) || ':' || r.source_id AS src, e.account_id, e.result
        FROM reversal r JOIN reward_event e ON e.type::text = r.source::text AND e.external_id = r.source_id
        WHERE r.source IN ('USAGE', 'COMPUTE')
      ),
      expected AS (
        SELECT src, level, account_id, amount FROM (
          SELECT src, 0 AS level, account_id, -((result->>'points')::numeric) AS amount FROM reversed
          UNION ALL
          SELECT src, (s->>'level')::int, s->>'accountId', -((s->>'points')::numeric)
          FROM reversed, jsonb_array_elements(result->'shares') AS s) x
        WHERE amount <> 0 AND EXISTS (SELECT 1 FROM ledger_entry l WHERE l.source_event = x.src AND l.kind = 'REVERSAL')
      ),
      actual AS (SELECT source_event AS src, level, account_id, amount FROM ledger_entry WHERE kind = 'REVERSAL')
      SELECT COALESCE(x.src, a.src) AS source_event, COALESCE(x.level, a.level) AS level
      FROM expected x FULL JOIN actual a ON a.src = x.src AND a.level = x.level
      WHERE x.src IS NULL OR a.src IS NULL OR a.account_id <> x.account_id OR a.amount <> x.amount
      LIMIT ${limit}`,
    (r) => `reversal ${r.source_event} level ${r.level}: not the negation of its event's row`,
  );

  report(
    await db.$queryRaw<{ what: string }[]>`
      SELECT 'ledger row ' || l.source_event || ' of ' || trim_scale(l.amount)::text || ' to ' || l.account_id
             || CASE WHEN a.id IS NULL THEN ': no adjustment recorded' ELSE ': differs from its adjustment' END AS what
      FROM ledger_entry l LEFT JOIN adjustment a ON 'adjustment:' || a.adjustment_id = l.source_event
      WHERE l.kind = 'ADJUSTMENT'
        AND (a.id IS NULL OR a.unit <> 'POINTS' OR a.account_id <> l.account_id OR a.amount <> l.amount OR l.level <> 0)
      UNION ALL
      SELECT 'adjustment ' || a.adjustment_id || ' of ' || trim_scale(a.amount)::text || ' POINTS: no ledger row'
      FROM adjustment a
      WHERE a.unit = 'POINTS'
        AND NOT EXISTS (SELECT 1 FROM ledger_entry l WHERE l.source_event = 'adjustment:' || a.adjustment_id)
        AND NOT EXISTS (
          SELECT 1 FROM ledger_entry r WHERE r.kind = 'ROLLUP'
            AND r.source_event = 'rollup:adjustments:' || to_char((a.created_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD')
                                 || ':POINTS:' || a.account_id)
      LIMIT ${limit}`,
    (r) => r.what,
  );

  report(
    await db.$queryRaw<{ source_event: string; account_id: string; amount: string }[]>`
      SELECT l.source_event, l.account_id, trim_scale(l.amount)::text AS amount FROM ledger_entry l
      LEFT JOIN account o ON o.id = l.origin_account_id
      LEFT JOIN account r ON r.id = l.account_id
      LEFT JOIN program_version p ON p.name = 'rewards' AND p.version = l.program_version
      WHERE l.kind = 'DIRECT_BONUS' AND (
        o.id IS NULL OR l.source_event <> 'referral:' || o.id OR o.referrer_id IS DISTINCT FROM l.account_id
        OR l.amount IS DISTINCT FROM (p.document->'directBonus'->>lower(r.kind::text))::numeric)
      LIMIT ${limit}`,
    (r) => `direct bonus ${r.source_event} of ${r.amount} to ${r.account_id} is not the referrer's bonus`,
  );

  report(
    await db.$queryRaw<{ account_id: string; unit: string }[]>`
      WITH x AS (
        SELECT account_id, unit, ${SUMS_SQL}
        FROM (SELECT l.account_id, l.unit, l.amount, ${COLUMN_SQL} AS col FROM ledger_entry l) t GROUP BY account_id, unit
      ),
      m AS (
        SELECT account_id, unit, SUM(base) AS base, SUM(direct_bonus) AS direct_bonus,
               SUM(level1) AS level1, SUM(level2) AS level2, SUM(level3) AS level3, SUM(adjustments) AS adjustments
        FROM account_total GROUP BY account_id, unit
      )
      SELECT account_id, unit::text AS unit FROM x FULL JOIN m USING (account_id, unit) WHERE ${DIFFERS_SQL} LIMIT ${limit}`,
    (r) => `totals of ${r.account_id} (${r.unit}) differ from the ledger's sums`,
  );

  report(
    await db.$queryRaw<{ account_id: string; unit: string; day: string }[]>`
      WITH x AS (
        SELECT account_id, unit, day, ${SUMS_SQL}
        FROM (SELECT l.account_id, l.unit, l.amount, (l.created_at AT TIME ZONE 'UTC')::date AS day, ${COLUMN_SQL} AS col
              FROM ledger_entry l) t
        GROUP BY account_id, unit, day
      ),
      m AS (
        SELECT account_id, unit, day, SUM(base) AS base, SUM(direct_bonus) AS direct_bonus,
               SUM(level1) AS level1, SUM(level2) AS level2, SUM(level3) AS level3, SUM(adjustments) AS adjustments
        FROM account_daily GROUP BY account_id, unit, day
      )
      SELECT account_id, unit::text AS unit, to_char(day, 'YYYY-MM-DD') AS day
      FROM x FULL JOIN m USING (account_id, unit, day) WHERE ${DIFFERS_SQL} LIMIT ${limit}`,
    (r) => `daily history of ${r.account_id} on ${r.day} (${r.unit}) differs from the ledger's sums`,
  );

  report(
    await db.$queryRaw<{ beneficiary_id: string; origin_id: string }[]>`
      WITH raw AS (
        SELECT account_id AS beneficiary_id, origin_account_id AS origin_id, unit, SUM(amount) AS total
        FROM ledger_entry WHERE kind = 'SHARE' OR (kind = 'REVERSAL' AND level > 0) GROUP BY 1, 2, 3
      ),
      folded AS (
        SELECT DISTINCT account_id FROM ledger_entry WHERE kind = 'ROLLUP' AND source_event LIKE 'rollup:level%'
      )
      SELECT beneficiary_id, origin_id FROM raw FULL JOIN referral_contribution c USING (beneficiary_id, origin_id, unit)
      WHERE COALESCE(raw.total, 0) <> COALESCE(c.total, 0)
        AND beneficiary_id NOT IN (SELECT account_id FROM folded)
      LIMIT ${limit}`,
    (r) => `contribution of ${r.origin_id} to ${r.beneficiary_id} differs from the ledger's shares`,
  );

  report(
    await db.$queryRaw<{ beneficiary_id: string; day: string; counted: number; actual: number }[]>`
      WITH x AS (
        SELECT beneficiary_id, (last_earned_at AT TIME ZONE 'UTC')::date AS day, COUNT(*)::int AS actual
        FROM referral_contribution GROUP BY 1, 2
      ),
      m AS (SELECT beneficiary_id, day, SUM(count)::int AS counted FROM active_referral_day GROUP BY 1, 2)
      SELECT beneficiary_id, to_char(day, 'YYYY-MM-DD') AS day, COALESCE(m.counted, 0) AS counted, COALESCE(x.actual, 0) AS actual
      FROM x FULL JOIN m USING (beneficiary_id, day)
      WHERE COALESCE(m.counted, 0) <> COALESCE(x.actual, 0)
      LIMIT ${limit}`,
    (r) => `active referrals of ${r.beneficiary_id} last paid on ${r.day}: counted ${r.counted}, actual ${r.actual}`,
  );

  report(
    await db.$queryRaw<{ id: string; why: string }[]>`
      SELECT a.id,
             CASE WHEN r.id IS NULL AND (a.ancestor2_id IS NOT NULL OR a.ancestor3_id IS NOT NULL) THEN 'has ancestors but no referrer'
                  WHEN (a.referrer_id IS NULL) <> (a.referred_at IS NULL) THEN 'referred_at is not set exactly when there is a referrer'
                  WHEN r.kind <> a.kind THEN 'referred by an account of the other kind'
                  ELSE 'denormalized ancestors disagree with the referrer chain' END AS why
      FROM account a LEFT JOIN account r ON r.id = a.referrer_id
      WHERE (r.id IS NULL AND (a.ancestor2_id IS NOT NULL OR a.ancestor3_id IS NOT NULL))
         OR (a.referrer_id IS NULL) <> (a.referred_at IS NULL)
         OR r.kind <> a.kind
         OR a.ancestor2_id IS DISTINCT FROM r.referrer_id OR a.ancestor3_id IS DISTINCT FROM r.ancestor2_id
      LIMIT ${limit}`,
    (r) => `account ${r.id}: ${r.why}`,
  );

  report(
    await db.$queryRaw<
      { account_id: string; direct: number; secondary: number; tertiary: number; md: number; ms: number; mt: number }[]
    >`
      WITH x AS (
        SELECT account_id, SUM(d)::int AS direct, SUM(s)::int AS secondary, SUM(t)::int AS tertiary FROM (
          SELECT referrer_id AS account_id, 1 AS d, 0 AS s, 0 AS t FROM account WHERE referrer_id IS NOT NULL
          UNION ALL SELECT ancestor2_id, 0, 1, 0 FROM account WHERE ancestor2_id IS NOT NULL
          UNION ALL SELECT ancestor3_id, 0, 0, 1 FROM account WHERE ancestor3_id IS NOT NULL) u
        GROUP BY account_id
      ),
      m AS (
        SELECT account_id, SUM(direct)::int AS direct, SUM(secondary)::int AS secondary, SUM(tertiary)::int AS tertiary
        FROM network_count GROUP BY account_id
      )
      SELECT account_id, COALESCE(x.direct, 0) AS direct, COALESCE(x.secondary, 0) AS secondary, COALESCE(x.tertiary, 0) AS tertiary,
             COALESCE(m.direct, 0) AS md, COALESCE(m.secondary, 0) AS ms, COALESCE(m.tertiary, 0) AS mt
      FROM x FULL JOIN m USING (account_id)
      WHERE COALESCE(x.direct, 0) <> COALESCE(m.direct, 0) OR COALESCE(x.secondary, 0) <> COALESCE(m.secondary, 0)
         OR COALESCE(x.tertiary, 0) <> COALESCE(m.tertiary, 0)
      LIMIT ${limit}`,
    (r) =>
      `network of ${r.account_id}: counted ${r.md}/${r.ms}/${r.mt} (direct/secondary/tertiary), actual ${r.direct}/${r.secondary}/${r.tertiary}`,
  );

  return problems;
}
