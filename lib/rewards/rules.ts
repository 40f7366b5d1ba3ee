/**
 * The reward rules of the Rewards & Referrals program (docs/rewards.md, Rules), as exact decimals: usage points per endpoint,
 * direct referral bonuses, and the three-level shares of an earner's base reward.
 */
import { dec, type Decimal } from "@/lib/money";

export type EarnerKind = "USER" | "PROVIDER";

export const USAGE_ENDPOINTS = ["/chat/completions", "/embeddings", "/scrape", "/tts"] as const;
export type UsageEndpoint = (typeof USAGE_ENDPOINTS)[number];

/** The seed's table: points per request plus a bonus per token (only the LLM endpoints have one). */
export const USAGE_POINTS: Record<UsageEndpoint, { base: string; perToken: string }> = {
  "/chat/completions": { base: "1", perToken: "0.001" },
  "/embeddings": { base: "0.5", perToken: "0.0005" },
  "/scrape": { base: "0.2", perToken: "0" },
  "/tts": { base: "0.8", perToken: "0" },
};

/**
 * Upper bound on every count an event carries (tokens, requests, uptime seconds). Far above any real single
 * report, and low enough that no reward or running total can leave Decimal(38, 18).
 */
export const MAX_EVENT_COUNT = 1_000_000_000;

/** Points for one API request; tokens sent for /scrape and /tts earn nothing, as in the seed's table. */
export function usagePoints(endpoint: UsageEndpoint, tokens = 0): Decimal {
  const rule = USAGE_POINTS[endpoint];
  return dec(rule.base).plus(dec(rule.perToken).times(tokens));
}

/** Paid to the referrer, once, when its code is used. */
export const DIRECT_BONUS: Record<EarnerKind, string> = { USER: "25", PROVIDER: "50" };

/** Percent of the earner's base reward paid to its referrers on levels 1, 2, 3. Level 4 and beyond get nothing. */
export const SHARE_PERCENT: Record<EarnerKind, readonly [string, string, string]> = {
  USER: ["15", "8", "4"],
  PROVIDER: ["10", "5", "2.5"],
};

export const SHARE_LEVELS = [1, 2, 3] as const;
export type ShareLevel = (typeof SHARE_LEVELS)[number];

const RATES: Record<EarnerKind, Decimal[]> = {
  USER: SHARE_PERCENT.USER.map((p) => dec(p).dividedBy(100)),
  PROVIDER: SHARE_PERCENT.PROVIDER.map((p) => dec(p).dividedBy(100)),
};

/** The fraction (not percent) paid on one level: 0.15 for a user's level 1. */
export function shareRate(kind: EarnerKind, level: ShareLevel): Decimal {
  return RATES[kind][level - 1]!;
}

export interface Share {
  accountId: string;
  level: ShareLevel;
  points: Decimal;
}

/**
 * The shares of one base reward for the earner's ancestors (level 1 first). An absent ancestor ends the chain:
 * its share is not paid to anyone else. Exact: the base has at most 15 decimals (see EARNINGS_SCALE), and
 * every rate adds at most 3, so each share fits Decimal(38, 18) without rounding.
 */
export function distributeShares(
  kind: EarnerKind,
  base: Decimal,
  ancestors: readonly [string | null, string | null, string | null],
): Share[] {
  const shares: Share[] = [];
  for (const level of SHARE_LEVELS) {
    const accountId = ancestors[level - 1];
    if (!accountId) break;
    shares.push({ accountId, level, points: base.times(shareRate(kind, level)) });
  }
  return shares;
}
