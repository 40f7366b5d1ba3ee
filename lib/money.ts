/**
 * Exact decimal money: the only place amounts are parsed, multiplied, summed, rounded and rendered.
 * Amounts are decimal.js values with far more precision than Decimal(38, 18) needs, so no operation
 * on the money path ever rounds except the one explicit rounding at payout (docs/architecture.md, Money).
 */
import DecimalJs from "decimal.js";

export const Decimal = DecimalJs.clone({ precision: 80, rounding: DecimalJs.ROUND_DOWN, toExpNeg: -40, toExpPos: 60 });
export type Decimal = InstanceType<typeof Decimal>;

export const CURRENCIES = ["KES", "NGN", "UGX", "GHS", "ETB", "CDF"] as const;
export type CurrencyCode = (typeof CURRENCIES)[number];
export const UNITS = ["POINTS", "USD", ...CURRENCIES] as const;
export type UnitCode = (typeof UNITS)[number];

/** USDC has 6 decimals on every chain; a claim pays whole base units. */
export const USDC_DECIMALS = 6;
/** Decimal(38, 18): what the database stores. */
export const STORED_SCALE = 18;
const STORED_MAX = new Decimal("1e20");

export type DecimalInput = Decimal | string | number | bigint | { toString(): string };

/**
 * Parses an amount exactly. A JS number is read from its shortest round-trip text, which is exactly what
 * the sender wrote in JSON (0.1 stays 0.1, not 0.1000000000000000055…).
 */
export function dec(value: DecimalInput): Decimal {
  if (value instanceof Decimal) return value;
  if (typeof value === "number" && !Number.isFinite(value)) throw new RangeError(`Not a finite amount: ${value}`);
  const d = new Decimal(typeof value === "string" ? value.trim() : value.toString());
  if (!d.isFinite()) throw new RangeError(`Not a finite amount: ${String(value)}`);
  return d;
}

export const ZERO = new Decimal(0);

export function sum(values: Iterable<DecimalInput>): Decimal {
  let total = ZERO;
  for (const v of values) total = total.plus(dec(v));
  return total;
}

/** `percent` of `amount`, exact: percentOf(50000, "0.3") = 150. */
export function percentOf(amount: DecimalInput, percent: DecimalInput): Decimal {
  return dec(amount).times(dec(percent)).dividedBy(100);
}

/** True when the value fits Decimal(38, 18) without losing a digit. */
export function fitsStoredScale(value: DecimalInput): boolean {
  const d = dec(value);
  return d.decimalPlaces() <= STORED_SCALE && d.abs().lessThan(STORED_MAX);
}

/** The one rounding on the money path: a claim's USD total down to whole USDC base units. */
export function roundDownToUsdc(usd: DecimalInput): Decimal {
  return dec(usd).toDecimalPlaces(USDC_DECIMALS, Decimal.ROUND_DOWN);
}

/** USD → USDC base units (rounded down), as the bigint an ERC-20 transfer takes. */
export function toUsdcBaseUnits(usd: DecimalInput): bigint {
  return BigInt(
    roundDownToUsdc(usd)
      .times(10 ** USDC_DECIMALS)
      .toFixed(0),
  );
}

export function fromUsdcBaseUnits(units: bigint): Decimal {
  return new Decimal(units.toString()).dividedBy(10 ** USDC_DECIMALS);
}

/** Plain decimal text without exponent or trailing zeros ("150", "1.155", "0.000001"). */
export function toPlainString(value: DecimalInput): string {
  return dec(value).toFixed();
}

export function isCurrency(code: string): code is CurrencyCode {
  return (CURRENCIES as readonly string[]).includes(code);
}
