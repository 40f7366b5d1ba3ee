/**
 * Compaction: ledger rows older than the retention window are folded into ROLLUP rows, one per
 * (account, UTC day, unit, column) — column being base, directBonus, level1, level2, level3 or adjustments (a
 * reversal's mirror rows fold into the column of the row they mirror), so the
 * ledger still splits every account's sums the way its maintained totals do. The rollup row is dated at the
 * start of its day, and its source event `rollup:<column>:<day>:<unit>:<account>` is unique, so a later
 * chunk of the same day adds to it. Every sum per account, per day and per column is unchanged;
 * account_total and account_daily are not touched at all.
 *
 * Work goes in chunks of about `chunkRows` rows, oldest first, one transaction each. A chunk ends on a
 * created_at boundary, and all rows of one event share their transaction's created_at, so an event's base
 * and shares are always folded together. Running it twice, or two runs at once, folds nothing twice: a row
 * is moved by deleting it, and a row deleted by another run is skipped.
 */
import "server-only";
import type { Db } from "@/lib/db/client";

export const DEFAULT_RETENTION_DAYS = 90;
export const DEFAULT_CHUNK_ROWS = 50_000;

export interface CompactionOptions {
  /** Rows created before the start of the UTC day this many days ago are folded. Default 90. */
  olderThanDays?: number;
  now?: Date;
  /** Rows per transaction, about (a chunk never splits one created_at). Default 50,000. */
  chunkRows?: number;
}

export interface CompactionResult {
  /** Raw rows removed. */
  folded: number;
  /** Rollup rows written or added to. */
  rollups: number;
  /** Rows older than this were folded. */
  cutoff: Date;
}

export function compactionCutoff(olderThanDays: number, now: Date): Date {
  if (!Number.isInteger(olderThanDays) || olderThanDays < 1) {
    throw new RangeError(`olderThanDays must be a positive whole number of days, got ${olderThanDays}`);
  }
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(day - olderThanDays * 86_400_000);
}

export async function compactLedger(db: Db, options: CompactionOptions = {}): Promise<CompactionResult> {
  const cutoff = compactionCutoff(options.olderThanDays ?? DEFAULT_RETENTION_DAYS, options.now ?? new Date());
  const chunkRows = options.chunkRows ?? DEFAULT_CHUNK_ROWS;
  const result: CompactionResult = { folded: 0, rollups: 0, cutoff };
  for (;;) {
    const [chunk] = await db.$queryRaw<{ folded: number; rollups: number }[]>`
      WITH bound AS (
        SELECT COALESCE(
          (SELECT created_at FROM ledger_entry WHERE kind <> 'ROLLUP' AND created_at < ${cutoff}
           ORDER BY created_at OFFSET ${chunkRows - 1} LIMIT 1),
          ${cutoff}) AS upto
      ),
      moved AS (
        DELETE FROM ledger_entry
        WHERE kind <> 'ROLLUP' AND created_at < ${cutoff} AND created_at <= (SELECT upto FROM bound)
        RETURNING account_id, unit, amount, kind, level, (created_at AT TIME ZONE 'UTC')::date AS day
      ),
      folded AS (
        SELECT account_id, unit, level, day,
               CASE WHEN kind = 'BASE' OR (kind = 'REVERSAL' AND level = 0) THEN 'base'
                    WHEN kind = 'DIRECT_BONUS' THEN 'directBonus' WHEN kind = 'ADJUSTMENT' THEN 'adjustments'
                    ELSE 'level' || level END AS col,
               SUM(amount) AS amount, COUNT(*) AS n
        FROM moved GROUP BY account_id, unit, level, day, col
      ),
      written AS (
        INSERT INTO ledger_entry AS l (account_id, unit, amount, kind, level, source_event, origin_account_id, created_at)
        SELECT account_id, unit, amount, 'ROLLUP', level,
               'rollup:' || col || ':' || to_char(day, 'YYYY-MM-DD') || ':' || unit || ':' || account_id, NULL,
               day::timestamp AT TIME ZONE 'UTC'
        FROM folded
        ON CONFLICT (source_event, level) DO UPDATE SET amount = l.amount + EXCLUDED.amount
        RETURNING 1
      )
      SELECT (SELECT COALESCE(SUM(n), 0) FROM folded)::int AS folded, (SELECT COUNT(*) FROM written)::int AS rollups`;
    if (!chunk || chunk.folded === 0) return result;
    result.folded += chunk.folded;
    result.rollups += chunk.rollups;
  }
}
