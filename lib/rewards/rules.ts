/**
 * The reward rules of the Rewards & Referrals program, as exact decimals: usage points per endpoint, direct
 * referral bonuses, and the three-level shares of an earner's base reward. The rates are program data (the rewards
 * document in force, lib/programs); these functions apply a document to one occurrence.
 */
import { Decimal, STORED_SCALE, dec } from "@/lib/money";
import type { RewardsDocument } from "@/lib/programs/schemas";

export type EarnerKind = "USER" | "PROVIDER";

export const USAGE_ENDPOINTS = ["/chat/completions", "/embeddings", "/scrape", "/tts"] as const;
export type UsageEndpoint = (typeof USAGE_ENDPOINTS)[number];

/**
 * Upper bound on every count an event carries (tokens, requests, uptime seconds). Far above any real single
 * report, and low enough that no reward or running total can leave Decimal(38, 18).
 */
export const MAX_EVENT_COUNT = 1_000_000_000;

/** Points for one API request: the endpoint's base plus its rate per token (0 for /scrape and /tts by default). */
export function usagePoints(rules: RewardsDocument, endpoint: UsageEndpoint, tokens = 0): Decimal {
  const rule = rules.usagePoints[endpoint];
  return dec(rule.base).plus(dec(rule.perToken).times(tokens));
}

/** Paid to the referrer, once, when its code is used. */
export function directBonus(rules: RewardsDocument, kind: EarnerKind): Decimal {
  return kind === "USER" ? rules.directBonus.user : rules.directBonus.provider;
}

export const SHARE_LEVELS = [1, 2, 3] as const;
export type ShareLevel = (typeof SHARE_LEVELS)[number];

/** The fraction (not percent) paid on one level, 0 for a level the program does not pay: 0.15 for 15 %. */
export function shareRate(rules: RewardsDocument, kind: EarnerKind, level: ShareLevel): Decimal {
  const percent = (kind === "USER" ? rules.shares.user : rules.shares.provider)[level - 1];
  return percent === undefined ? new Decimal(0) : percent.dividedBy(100);
}

export interface Share {
  accountId: string;
  level: ShareLevel;
  points: Decimal;
}

/**
 * The shares of one base reward for the earner's ancestors (level 1 first). An absent ancestor ends the chain:
 * its share is not paid to anyone else; so does a level the program does not pay. A share is rounded down to the
 * ledger's 18 decimals: the base has at most 15 (see EARNINGS_SCALE) and a rate with one decimal of percent adds 3,
 * so with such rates (the defaults) nothing is ever cut.
 */
export function distributeShares(
  rules: RewardsDocument,
  kind: EarnerKind,
  base: Decimal,
  ancestors: readonly [string | null, string | null, string | null],
): Share[] {
  const levels = kind === "USER" ? rules.shares.user : rules.shares.provider;
  const shares: Share[] = [];
  for (const level of SHARE_LEVELS) {
    const accountId = ancestors[level - 1];
    if (!accountId || level > levels.length) break;
    const points = base.times(shareRate(rules, kind, level)).toDecimalPlaces(STORED_SCALE, Decimal.ROUND_DOWN);
    shares.push({ accountId, level, points });
  }
  return shares;
}
