/**
 * Perpetual Earnings rules: the fee split of a transaction, what an amount may be, the USD value of local amounts
 * and the claim cooldown. The rates are the perpetual program's document in force (lib/programs); these are pure
 * functions of it: no database, no chain.
 */
import { Decimal, dec, percentOf, roundDownToUsdc, STORED_SCALE, sum, type DecimalInput } from "@/lib/money";
import type { PerpetualDocument } from "@/lib/programs/schemas";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A fee with one decimal of percent (1.5 %) adds three decimal places to the amount, and such fees must fit
 * Decimal(38, 18) exactly, so an amount carries at most 15.
 */
export const MAX_AMOUNT_DECIMALS = 15;
/** Below Decimal(38, 18)'s 10^20 ceiling. */
export const MAX_AMOUNT = new Decimal("1e20");
/**
 * A JSON number with more significant digits than this may not be what the sender wrote: a binary double only
 * carries 15 decimal digits for certain. Such amounts must come as decimal strings.
 */
const MAX_JSON_NUMBER_DIGITS = 15;
const DECIMAL_STRING = /^[0-9]+(\.[0-9]+)?$/;

export interface FeeSplit {
  fee: Decimal;
  referrerFee: Decimal;
  platformFee: Decimal;
}

/**
 * `feePercent` of the amount (1.5 % by default); `referrerPercent` of it (0.3 %) to the referrer when there is one,
 * the rest to the platform. Each part is rounded down to the ledger's 18 decimals, which cuts nothing unless a
 * percentage has more than one decimal.
 */
export function splitFee(rules: PerpetualDocument, amount: DecimalInput, hasReferrer: boolean): FeeSplit {
  const stored = (d: Decimal) => d.toDecimalPlaces(STORED_SCALE, Decimal.ROUND_DOWN);
  const fee = stored(percentOf(amount, rules.feePercent));
  const referrerFee = hasReferrer ? stored(percentOf(amount, rules.referrerPercent)) : new Decimal(0);
  return { fee, referrerFee, platformFee: fee.minus(referrerFee) };
}

/**
 * Reads a transaction amount sent as a JSON number or a decimal string.
 * @returns the exact amount, or the reason it is refused
 */
export function parseTransactionAmount(value: unknown): { amount: Decimal } | { error: string } {
  let amount: Decimal;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return { error: "must be a finite number" };
    amount = dec(value);
    if (amount.precision(true) > MAX_JSON_NUMBER_DIGITS && amount.decimalPlaces() > 0) {
      return { error: `has more than ${MAX_JSON_NUMBER_DIGITS} significant digits; send it as a decimal string` };
    }
    if (amount.isInteger() && !Number.isSafeInteger(value) && amount.lessThan(MAX_AMOUNT)) {
      return { error: "is too large to be exact as a JSON number; send it as a decimal string" };
    }
  } else if (typeof value === "string") {
    if (!DECIMAL_STRING.test(value)) return { error: 'must be a decimal string such as "1500.25"' };
    amount = dec(value);
  } else {
    return { error: "must be a number or a decimal string" };
  }
  if (!amount.isPositive() || amount.isZero()) return { error: "must be greater than 0" };
  if (amount.greaterThanOrEqualTo(MAX_AMOUNT)) return { error: "must be less than 10^20" };
  if (amount.decimalPlaces() > MAX_AMOUNT_DECIMALS) {
    return { error: `may have at most ${MAX_AMOUNT_DECIMALS} decimal places` };
  }
  return { amount };
}

/** The exact USD value of a local amount at a rate in USD per unit. */
export function usdValue(amountLocal: DecimalInput, usdRate: DecimalInput): Decimal {
  return dec(amountLocal).times(dec(usdRate));
}

/** What a claim pays: the sum of its lines' exact USD, rounded down to whole USDC base units (the one rounding). */
export function claimAmountUsd(lineAmountsUsd: Iterable<DecimalInput>): Decimal {
  return roundDownToUsdc(sum(lineAmountsUsd));
}

/** When the next claim is allowed after a COMPLETED claim created at `lastCompletedClaimAt`. */
export function nextClaimDate(rules: PerpetualDocument, lastCompletedClaimAt: Date): Date {
  return new Date(lastCompletedClaimAt.getTime() + rules.cooldownDays * DAY_MS);
}

/** The seed's exact cooldown text for its weekly cooldown; the same sentence in other words for another one. */
export function cooldownMessage(next: Date, cooldownDays = 7): string {
  const once =
    cooldownDays === 7 ? "once per week" : cooldownDays === 1 ? "once per day" : `once every ${cooldownDays} days`;
  return `Claims allowed ${once}. Next claim available ${next.toISOString()}`;
}
