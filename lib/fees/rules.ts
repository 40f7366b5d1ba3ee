/**
 * Perpetual Earnings rules (docs/perpetual-earnings.md, Rules): the fee split of a transaction, what an amount may be, the
 * USD value of local amounts and the weekly claim cooldown. Pure functions: no database, no chain.
 */
import { Decimal, dec, percentOf, roundDownToUsdc, sum, type DecimalInput } from "@/lib/money";

/** The whole transaction fee, percent of the amount. */
export const FEE_PERCENT = "1.5";
/** The level-1 referrer's part of the fee, percent of the amount. */
export const REFERRER_PERCENT = "0.3";
export const CLAIM_COOLDOWN_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * A fee of 1.5 % adds three decimal places to the amount, and every fee must fit Decimal(38, 18) exactly, so an
 * amount carries at most 15.
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

/** 1.5 % of the amount; 0.3 % of it to the referrer when there is one, the rest to the platform. */
export function splitFee(amount: DecimalInput, hasReferrer: boolean): FeeSplit {
  const fee = percentOf(amount, FEE_PERCENT);
  const referrerFee = hasReferrer ? percentOf(amount, REFERRER_PERCENT) : new Decimal(0);
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
export function nextClaimDate(lastCompletedClaimAt: Date): Date {
  return new Date(lastCompletedClaimAt.getTime() + CLAIM_COOLDOWN_MS);
}

/** The seed's exact cooldown text. */
export function cooldownMessage(next: Date): string {
  return `Claims allowed once per week. Next claim available ${next.toISOString()}`;
}
