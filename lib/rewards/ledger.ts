/**
 * The one writer of the rewards ledger. Rows are appended (never edited), and in the same statement the
 * maintained aggregates move with them, so totals, daily history and per-referral contributions are read
 * without scanning the ledger:
 *
 * - account_total, account_daily and active_referral_day rows are spread over SLOTS slots, so a referrer
 *   receiving shares from many concurrent batches does not serialize them on one row; readers sum the slots.
 *   A statement writes all its rows into ONE slot, leased by this process for as long as the statement runs
 *   (withSlot): concurrent batches of one process then never share an aggregate row at all, and those of two
 *   processes only when their slots coincide. (A slot drawn per account and row instead made two concurrent
 *   batches collide on some hot referrer's row about half the time, each then waiting for the other's commit.)
 * - One statement, whatever the number of rows: the ledger INSERT … RETURNING feeds data-modifying CTEs that
 *   aggregate the inserted rows in SQL and upsert every aggregate. A single statement is atomic without an
 *   explicit transaction, costs one round trip, and lets the caller decide in the same statement which rows
 *   are written at all (events.ts writes only the rows of event ids it managed to claim).
 * - Every upsert takes its rows in key order (byte order, COLLATE "C"), and every writer runs the same statement
 *   shape, so concurrent writers lock shared rows in one global order (table by table, key by key) and cannot
 *   deadlock each other.
 * - The only aggregate rows two concurrent batches of one process can share are contributions (the same earner
 *   in both). PostgreSQL runs the WITH list's writes that the final SELECT does not read after it, last-listed
 *   first, so contributions are listed before the totals and written last: a batch that finds one taken waits
 *   for little more than the other's commit. (Listed after them, they were written right after the ledger and
 *   a batch waited for the other's whole upsert of totals and history: most of the time under load went there.)
 */
import "server-only";
import { randomInt } from "node:crypto";
import { Prisma } from "@/lib/db/client";
import { nowSql } from "@/lib/db/now";
import { toPlainString, type Decimal } from "@/lib/money";
import { metrics } from "@/lib/observability/metrics";

export type Tx = Prisma.TransactionClient;

/** Hot-row spreading factor of account_total, account_daily, active_referral_day and network_count. */
export const SLOTS = 16;

/**
 * REVERSAL rows mirror a reversed event's BASE (level 0) and SHARE (levels 1-3) rows with the negated amount and
 * count in the same columns; ADJUSTMENT rows (level 0) have a column of their own (docs/corrections.md).
 */
export type LedgerKindCode = "BASE" | "DIRECT_BONUS" | "SHARE" | "REVERSAL" | "ADJUSTMENT";

export interface LedgerRow {
  accountId: string;
  amount: Decimal;
  kind: LedgerKindCode;
  /** 0 for BASE and ADJUSTMENT, 1 for DIRECT_BONUS, 1-3 for SHARE, the mirrored row's level for REVERSAL. */
  level: number;
  /**
   * `usage:<requestId>`, `compute:<eventId>`, `referral:<referredAccountId>`, `reversal:<usage|compute>:<id>`,
   * `adjustment:<adjustmentId>`.
   */
  sourceEvent: string;
  originAccountId: string;
}

export const COLUMNS = ["base", "directBonus", "level1", "level2", "level3", "adjustments"] as const;
export type Column = (typeof COLUMNS)[number];

/**
 * One statement that appends ledger rows and moves every maintained aggregate with them:
 *   WITH <before>, ins AS (INSERT INTO ledger_entry (…) <rows> RETURNING …), <aggregates> <select>
 * `rows` is a SELECT of (account_id, unit, amount, kind, level, source_event, origin_account_id), which may read
 * CTEs defined in `before`; `select` is the statement's result. The rows are dated now() (the transaction's start),
 * or `now` when the caller records what happened earlier (the demo's month of history), and every aggregate uses
 * the same moment, so the ledger's days and the daily history's always agree.
 * A second row for an existing (sourceEvent, level) violates the ledger's unique key and aborts the statement.
 */
export function appendLedgerSql(
  slot: number,
  parts: {
    before?: Prisma.Sql;
    rows: Prisma.Sql;
    select: Prisma.Sql;
    now?: Date;
    /** `rows` has an eighth column: the version of the rewards program that produced the row. */
    versioned?: boolean;
  },
): Prisma.Sql {
  const now = nowSql(parts.now);
  const today = Prisma.sql`(${now} AT TIME ZONE 'UTC')::date`;
  return Prisma.sql`
    WITH ${parts.before ? Prisma.sql`${parts.before},` : Prisma.empty}
    ins AS (
      INSERT INTO ledger_entry (account_id, unit, amount, kind, level, source_event, origin_account_id,
                                ${parts.versioned ? Prisma.sql`program_version,` : Prisma.empty} created_at)
      SELECT r.*, ${now} FROM (${parts.rows}) AS r
      RETURNING account_id, amount, kind, level, origin_account_id
    ),
    -- Only earned shares make a referral count as active; the bonus is a one-off, not activity. A referral counts
    -- as active on the day of its latest share only: when its contribution row moves from an earlier day
    -- (previous_earned_at, set from the row being updated, so exact under concurrency) to today, that day's
    -- bucket loses it and today's gains it; a new row only adds to today.
    contributions AS (
      INSERT INTO referral_contribution AS c (beneficiary_id, origin_id, level, unit, total, last_earned_at)
      SELECT account_id, origin_account_id, min(level), 'POINTS'::"Unit", SUM(amount), ${now}
      FROM ins WHERE kind = 'SHARE' AND amount > 0
      GROUP BY account_id, origin_account_id ORDER BY account_id COLLATE "C", origin_account_id COLLATE "C"
      ON CONFLICT (beneficiary_id, origin_id, unit) DO UPDATE SET
        total = c.total + EXCLUDED.total, previous_earned_at = c.last_earned_at, last_earned_at = EXCLUDED.last_earned_at
      RETURNING beneficiary_id, (previous_earned_at AT TIME ZONE 'UTC')::date AS previous_day
    ),
    -- A reversed share takes its amount back from the referral's contribution; it is no activity, so the day the
    -- referral last paid a share stays. Rows are locked in key order, as the upsert above takes them.
    reversed_shares AS (
      SELECT account_id, origin_account_id, SUM(amount) AS total FROM ins
      WHERE kind = 'REVERSAL' AND level > 0 GROUP BY account_id, origin_account_id
    ),
    reversed_locked AS (
      SELECT c.beneficiary_id, c.origin_id, r.total FROM referral_contribution c
      JOIN reversed_shares r ON c.beneficiary_id = r.account_id AND c.origin_id = r.origin_account_id AND c.unit = 'POINTS'
      ORDER BY c.beneficiary_id COLLATE "C", c.origin_id COLLATE "C"
      FOR UPDATE OF c
    ),
    reversed AS (
      UPDATE referral_contribution c SET total = c.total + l.total FROM reversed_locked l
      WHERE c.beneficiary_id = l.beneficiary_id AND c.origin_id = l.origin_id AND c.unit = 'POINTS'
      RETURNING 1
    ),
    moves AS (
      SELECT beneficiary_id, ${today} AS day, 1 AS delta FROM contributions
      WHERE previous_day IS DISTINCT FROM ${today}
      UNION ALL
      SELECT beneficiary_id, previous_day, -1 FROM contributions
      WHERE previous_day IS NOT NULL AND previous_day <> ${today}
    ),
    active AS (
      INSERT INTO active_referral_day AS a (beneficiary_id, day, slot, count)
      SELECT beneficiary_id, day, ${slot}::int, SUM(delta) FROM moves
      GROUP BY beneficiary_id, day ORDER BY beneficiary_id COLLATE "C", day
      ON CONFLICT (beneficiary_id, day, slot) DO UPDATE SET count = a.count + EXCLUDED.count
      RETURNING 1
    ),
    per_account AS (
      SELECT account_id, ${slot}::int AS slot,
             COALESCE(SUM(amount) FILTER (WHERE kind = 'BASE' OR (kind = 'REVERSAL' AND level = 0)), 0) AS base,
             COALESCE(SUM(amount) FILTER (WHERE kind = 'DIRECT_BONUS'), 0) AS direct_bonus,
             COALESCE(SUM(amount) FILTER (WHERE kind IN ('SHARE', 'REVERSAL') AND level = 1), 0) AS level1,
             COALESCE(SUM(amount) FILTER (WHERE kind IN ('SHARE', 'REVERSAL') AND level = 2), 0) AS level2,
             COALESCE(SUM(amount) FILTER (WHERE kind IN ('SHARE', 'REVERSAL') AND level = 3), 0) AS level3,
             COALESCE(SUM(amount) FILTER (WHERE kind = 'ADJUSTMENT'), 0) AS adjustments
      FROM ins GROUP BY account_id
    ),
    totals AS (
      INSERT INTO account_total AS t (account_id, unit, slot, base, direct_bonus, level1, level2, level3, adjustments)
      SELECT account_id, 'POINTS'::"Unit", slot, base, direct_bonus, level1, level2, level3, adjustments
      FROM per_account ORDER BY account_id COLLATE "C"
      ON CONFLICT (account_id, unit, slot) DO UPDATE SET
        base = t.base + EXCLUDED.base, direct_bonus = t.direct_bonus + EXCLUDED.direct_bonus,
        level1 = t.level1 + EXCLUDED.level1, level2 = t.level2 + EXCLUDED.level2, level3 = t.level3 + EXCLUDED.level3,
        adjustments = t.adjustments + EXCLUDED.adjustments
      RETURNING 1
    ),
    daily AS (
      INSERT INTO account_daily AS t (account_id, day, unit, slot, base, direct_bonus, level1, level2, level3, adjustments)
      SELECT account_id, ${today}, 'POINTS'::"Unit", slot, base, direct_bonus, level1, level2, level3, adjustments
      FROM per_account ORDER BY account_id COLLATE "C"
      ON CONFLICT (account_id, day, unit, slot) DO UPDATE SET
        base = t.base + EXCLUDED.base, direct_bonus = t.direct_bonus + EXCLUDED.direct_bonus,
        level1 = t.level1 + EXCLUDED.level1, level2 = t.level2 + EXCLUDED.level2, level3 = t.level3 + EXCLUDED.level3,
        adjustments = t.adjustments + EXCLUDED.adjustments
      RETURNING 1
    )
    ${parts.select}`;
}

/**
 * Appends the rows and moves every maintained aggregate with them, in the caller's transaction, dated now or `now`;
 * `programVersion` is the version of the rewards program that produced them, when one did.
 */
export async function appendLedger(
  tx: Tx,
  rows: readonly LedgerRow[],
  now?: Date,
  programVersion?: number,
): Promise<void> {
  if (rows.length === 0) return;
  metrics().ledgerRows.inc(rows.length);
  // One JSON parameter (amounts as exact decimal strings): one native JSON.stringify, where array parameters
  // would be escaped element by element in JavaScript.
  const json = JSON.stringify(
    rows.map((r) => ({
      account_id: r.accountId,
      amount: toPlainString(r.amount),
      kind: r.kind,
      level: r.level,
      source_event: r.sourceEvent,
      origin_account_id: r.originAccountId,
    })),
  );
  await withSlot((slot) =>
    tx.$queryRaw(
      appendLedgerSql(slot, {
        rows: Prisma.sql`
          SELECT r.account_id, 'POINTS'::"Unit", r.amount, r.kind::"LedgerKind", r.level, r.source_event, r.origin_account_id,
                 ${programVersion ?? null}::int
          FROM json_to_recordset(${json}::json)
            AS r(account_id text, amount numeric, kind text, level int, source_event text, origin_account_id text)`,
        select: Prisma.sql`SELECT 1`,
        now,
        versioned: true,
      }),
    ),
  );
}

/** How many of this process's running writes hold each slot. */
const leases = new Array<number>(SLOTS).fill(0);

/**
 * Runs `write` with a slot no other write of this process holds (a random free one, so that processes spread
 * too), or the least-held one when all are taken.
 */
export async function withSlot<T>(write: (slot: number) => Promise<T>): Promise<T> {
  const fewest = Math.min(...leases);
  const candidates = leases.flatMap((held, slot) => (held === fewest ? [slot] : []));
  const slot = candidates[randomInt(candidates.length)]!;
  leases[slot]!++;
  try {
    return await write(slot);
  } finally {
    leases[slot]!--;
  }
}
