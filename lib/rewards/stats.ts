/**
 * Referral stats of one account (docs/rewards.md, Stats), read from maintained values only, so the cost does not grow
 * with the network or the ledger: six queries whatever the account's size —
 * the account (1), network sizes summed over ≤ 16 network_count slots (1), all-time totals summed over
 * ≤ 16 account_total slots (1), 30 days × ≤ 16 slots of account_daily (1), the first rows of
 * referral_contribution's (beneficiary, unit, total) index (1) and 30 days × ≤ 16 slots of
 * active_referral_day (1). The last five run in parallel.
 */
import "server-only";
import { type Db } from "@/lib/db/client";
import { NotFound } from "@/lib/errors";
import { dec, type Decimal } from "@/lib/money";
import { COLUMNS, type Column } from "./ledger";
import type { EarnerKind } from "./rules";

export const HISTORY_DAYS = 30;
export const TOP_REFERRALS = 10;

export type Earnings = Record<Column, Decimal> & { total: Decimal };

export interface ReferralStats {
  accountId: string;
  kind: "user" | "provider";
  referralCode: string;
  referredBy: string | null;
  network: { direct: number; secondary: number; tertiary: number; total: number };
  earnings: Earnings;
  /** HISTORY_DAYS UTC days, oldest first, today last. */
  history: ({ date: string } & Earnings)[];
  metrics: {
    /** Sum of the history's totals. */
    earnings30d: Decimal;
    /** Referrals (levels 1-3) whose activity paid this account a share during the history's days. */
    activeReferrals30d: number;
    /** The referrals whose activity paid this account the most, with their level. */
    topReferrals: { accountId: string; level: number; earned: Decimal }[];
  };
}

type SumRow = Record<"base" | "direct_bonus" | "level1" | "level2" | "level3", { toString(): string }>;

function earnings(row: SumRow): Earnings {
  const e = {
    base: dec(row.base),
    directBonus: dec(row.direct_bonus),
    level1: dec(row.level1),
    level2: dec(row.level2),
    level3: dec(row.level3),
  };
  return { ...e, total: COLUMNS.reduce((t, c) => t.plus(e[c]), dec(0)) };
}

/**
 * @throws NotFound (404) for an unknown account or one of the other kind (a user id on the providers route)
 */
export async function referralStats(db: Db, accountId: string, kind: EarnerKind): Promise<ReferralStats> {
  const what = kind === "USER" ? "User" : "Provider";
  const [account] = await db.$queryRaw<{ id: string; kind: EarnerKind; referrer_id: string | null }[]>`
    SELECT id, kind::text AS kind, referrer_id FROM account WHERE id = ${accountId}`;
  if (!account || account.kind !== kind) throw new NotFound(what, accountId);

  const [[network], [totals], history, top, [active]] = await Promise.all([
    db.$queryRaw<{ direct: number; secondary: number; tertiary: number }[]>`
      SELECT COALESCE(SUM(direct), 0)::int AS direct, COALESCE(SUM(secondary), 0)::int AS secondary,
             COALESCE(SUM(tertiary), 0)::int AS tertiary
      FROM network_count WHERE account_id = ${accountId}`,
    db.$queryRaw<SumRow[]>`
      SELECT COALESCE(SUM(base), 0) AS base, COALESCE(SUM(direct_bonus), 0) AS direct_bonus,
             COALESCE(SUM(level1), 0) AS level1, COALESCE(SUM(level2), 0) AS level2, COALESCE(SUM(level3), 0) AS level3
      FROM account_total WHERE account_id = ${accountId} AND unit = 'POINTS'`,
    db.$queryRaw<(SumRow & { date: string })[]>`
      WITH today AS (SELECT (now() AT TIME ZONE 'UTC')::date AS d),
      days AS (SELECT (today.d - n)::date AS day FROM today, generate_series(${HISTORY_DAYS - 1}::int, 0, -1) AS n),
      sums AS (
        SELECT day, SUM(base) AS base, SUM(direct_bonus) AS direct_bonus, SUM(level1) AS level1,
               SUM(level2) AS level2, SUM(level3) AS level3
        FROM account_daily
        WHERE account_id = ${accountId} AND unit = 'POINTS' AND day > (SELECT d FROM today) - ${HISTORY_DAYS}::int
        GROUP BY day
      )
      SELECT to_char(days.day, 'YYYY-MM-DD') AS date, COALESCE(base, 0) AS base, COALESCE(direct_bonus, 0) AS direct_bonus,
             COALESCE(level1, 0) AS level1, COALESCE(level2, 0) AS level2, COALESCE(level3, 0) AS level3
      FROM days LEFT JOIN sums USING (day) ORDER BY days.day`,
    db.$queryRaw<{ origin_id: string; level: number; total: { toString(): string } }[]>`
      SELECT origin_id, level, total FROM referral_contribution
      WHERE beneficiary_id = ${accountId} AND unit = 'POINTS'
      ORDER BY total DESC, origin_id LIMIT ${TOP_REFERRALS}`,
    db.$queryRaw<{ active: number }[]>`
      SELECT COALESCE(SUM(count), 0)::int AS active FROM active_referral_day
      WHERE beneficiary_id = ${accountId} AND day > (now() AT TIME ZONE 'UTC')::date - ${HISTORY_DAYS}::int`,
  ]);

  const days = history.map((row) => ({ date: row.date, ...earnings(row) }));
  return {
    accountId: account.id,
    kind: kind === "USER" ? "user" : "provider",
    referralCode: account.id,
    referredBy: account.referrer_id,
    network: { ...network!, total: network!.direct + network!.secondary + network!.tertiary },
    earnings: earnings(totals!),
    history: days,
    metrics: {
      earnings30d: days.reduce((t, d) => t.plus(d.total), dec(0)),
      activeReferrals30d: active!.active,
      topReferrals: top.map((r) => ({ accountId: r.origin_id, level: r.level, earned: dec(r.total) })),
    },
  };
}
