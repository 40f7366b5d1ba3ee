/**
 * Referral stats of one account (docs/rewards.md, Stats), read from maintained values only, so the cost does not
 * grow with the network or the ledger: ONE statement whatever the account's size (one round trip, one plan), each part
 * an index range of its own table — the account, network sizes summed over ≤ 16 network_count slots, all-time
 * totals over ≤ 16 account_total slots, 30 days × ≤ 16 slots of account_daily, the first rows of
 * referral_contribution's (beneficiary, unit, total) index walked in order by the `top_referrals` SQL function (its
 * migration says why no statistics may choose that plan), and 30 days × ≤ 16 slots of active_referral_day.
 * Amounts travel as text, so no binary float ever holds them.
 */
import "server-only";
import { poolOf, prepared, Prisma, type Db } from "@/lib/db/client";
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

/** base, direct_bonus, level1, level2, level3, adjustments, as exact decimal text. */
type Sums = [string, string, string, string, string, string];

function earnings([base, directBonus, level1, level2, level3, adjustments]: Sums): Earnings {
  const e = {
    base: dec(base),
    directBonus: dec(directBonus),
    level1: dec(level1),
    level2: dec(level2),
    level3: dec(level3),
    adjustments: dec(adjustments),
  };
  return { ...e, total: COLUMNS.reduce((t, c) => t.plus(e[c]), dec(0)) };
}

interface StatsRow {
  id: string;
  kind: EarnerKind;
  referrer_id: string | null;
  direct: number;
  secondary: number;
  tertiary: number;
  totals: Sums;
  /** [date, ...Sums], oldest first. */
  history: [string, ...Sums][];
  top: [string, number, string][] | null;
  active: number;
}

/** The one statement behind referralStats; exported so tests can read its plan. */
export function statsStatement(accountId: string): Prisma.Sql {
  // Every part names the account itself (not a join column), so each is planned as an index range on a known key.
  return Prisma.sql`
    WITH today AS (SELECT (now() AT TIME ZONE 'UTC')::date AS d)
    SELECT a.id, a.kind::text AS kind, a.referrer_id,
      n.direct, n.secondary, n.tertiary, t.totals, h.history, c.top, r.active
    FROM account a,
    LATERAL (
      SELECT COALESCE(SUM(direct), 0)::int AS direct, COALESCE(SUM(secondary), 0)::int AS secondary,
             COALESCE(SUM(tertiary), 0)::int AS tertiary
      FROM network_count WHERE account_id = ${accountId}
    ) n,
    LATERAL (
      SELECT json_build_array(COALESCE(SUM(base), 0)::text, COALESCE(SUM(direct_bonus), 0)::text,
             COALESCE(SUM(level1), 0)::text, COALESCE(SUM(level2), 0)::text, COALESCE(SUM(level3), 0)::text,
             COALESCE(SUM(adjustments), 0)::text) AS totals
      FROM account_total WHERE account_id = ${accountId} AND unit = 'POINTS'
    ) t,
    LATERAL (
      SELECT json_agg(json_build_array(to_char(days.day, 'YYYY-MM-DD'), COALESCE(s.base, 0)::text,
             COALESCE(s.direct_bonus, 0)::text, COALESCE(s.level1, 0)::text, COALESCE(s.level2, 0)::text,
             COALESCE(s.level3, 0)::text, COALESCE(s.adjustments, 0)::text) ORDER BY days.day) AS history
      FROM (SELECT (today.d - k)::date AS day FROM today, generate_series(${HISTORY_DAYS - 1}::int, 0, -1) AS k) days
      LEFT JOIN (
        SELECT day, SUM(base) AS base, SUM(direct_bonus) AS direct_bonus, SUM(level1) AS level1,
               SUM(level2) AS level2, SUM(level3) AS level3, SUM(adjustments) AS adjustments
        FROM account_daily
        WHERE account_id = ${accountId} AND unit = 'POINTS' AND day > (SELECT d FROM today) - ${HISTORY_DAYS}::int
        GROUP BY day
      ) s USING (day)
    ) h,
    LATERAL (SELECT top_referrals(${accountId}, 'POINTS', ${TOP_REFERRALS}::int) AS top) c,
    LATERAL (
      SELECT COALESCE(SUM(count), 0)::int AS active FROM active_referral_day
      WHERE beneficiary_id = ${accountId} AND day > (SELECT d FROM today) - ${HISTORY_DAYS}::int
    ) r
    WHERE a.id = ${accountId}`;
}

/**
 * @throws NotFound (404) for an unknown account or one of the other kind (a user id on the providers route)
 */
export async function referralStats(db: Db, accountId: string, kind: EarnerKind): Promise<ReferralStats> {
  const what = kind === "USER" ? "User" : "Provider";
  // Straight to node-postgres on the client's own pool: the ORM's raw-query path costs ≈ 0.28 ms of CPU per call
  // against 0.09 ms here (docs/benchmarks.md), about 5 % of a stats request's server CPU on the busiest read there is;
  // and prepared, because parsing and planning this statement cost PostgreSQL more than running it.
  const {
    rows: [row],
  } = await poolOf(db).query<StatsRow>(prepared(db, "referral-stats", statsStatement(accountId)));
  if (!row || row.kind !== kind) throw new NotFound(what, accountId);

  const days = row.history.map(([date, ...sums]) => ({ date, ...earnings(sums) }));
  return {
    accountId: row.id,
    kind: kind === "USER" ? "user" : "provider",
    referralCode: row.id,
    referredBy: row.referrer_id,
    network: {
      direct: row.direct,
      secondary: row.secondary,
      tertiary: row.tertiary,
      total: row.direct + row.secondary + row.tertiary,
    },
    earnings: earnings(row.totals),
    history: days,
    metrics: {
      earnings30d: days.reduce((t, d) => t.plus(d.total), dec(0)),
      activeReferrals30d: row.active,
      topReferrals: (row.top ?? []).map(([origin, level, total]) => ({
        accountId: origin,
        level,
        earned: dec(total),
      })),
    },
  };
}
