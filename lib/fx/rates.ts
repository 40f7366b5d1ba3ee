/**
 * Exchange rates: the USD value of one unit of each local currency, with where it came from and when. The
 * current rate per currency lives in fx_rate; every rate ever set is appended to fx_rate_history.
 */
import "server-only";
import { recordAudit, type Actor } from "@/lib/audit/log";
import type { Db } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import { CURRENCIES, Decimal, dec, isCurrency, STORED_SCALE, toPlainString, type CurrencyCode } from "@/lib/money";

/** The environment variables read: process.env, or a plain object in tests. */
export type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULT_FX_MAX_AGE_SECONDS = 86_400;
/**
 * Every supported currency is worth far less than one dollar (the dearest, GHS, under 0.1). A rate at or above 1
 * is almost surely "units per USD" typed the wrong way round, which would overpay claims a thousandfold or more.
 */
export const MAX_USD_RATE = new Decimal(1);

export interface FxRate {
  currency: CurrencyCode;
  usdRate: Decimal;
  source: string;
  updatedAt: Date;
}

/** The shape of GET and PUT /api/fx/rates. */
export interface FxRatesView {
  rates: Partial<Record<CurrencyCode, { usd: Decimal; source: string; updatedAt: string }>>;
}

export class InvalidRates extends DomainError {
  constructor(message: string) {
    super("invalid_rates", "Invalid exchange rates", message);
  }
}

export function fxMaxAgeSeconds(env: Env = process.env): number {
  const raw = env.FX_MAX_AGE_SECONDS;
  if (raw === undefined || raw.trim() === "") return DEFAULT_FX_MAX_AGE_SECONDS;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds <= 0) {
    throw new Error(`FX_MAX_AGE_SECONDS must be a positive whole number of seconds, got "${raw}"`);
  }
  return seconds;
}

/** True when the rate is too old to pay a claim with. */
export function isStale(rate: Pick<FxRate, "updatedAt">, now: Date, maxAgeSeconds: number): boolean {
  return now.getTime() - rate.updatedAt.getTime() > maxAgeSeconds * 1000;
}

export interface ParseRatesOptions {
  /**
   * Cut values with more than 18 decimals to 18 instead of refusing them: feeds publish binary doubles
   * (0.00035714285714285713), an operator typing a rate gets told instead.
   */
  truncate?: boolean;
  /** Skip currencies we do not support (a feed lists many) instead of refusing them. */
  ignoreUnknown?: boolean;
}

/** Validates `{"KES": 0.0077, …}` (USD per unit; numbers or decimal strings). */
export function parseRates(input: unknown, options: ParseRatesOptions = {}): Map<CurrencyCode, Decimal> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new InvalidRates('rates must be an object such as {"KES": 0.0077}');
  }
  const rates = new Map<CurrencyCode, Decimal>();
  for (const [currency, value] of Object.entries(input)) {
    if (!isCurrency(currency)) {
      if (options.ignoreUnknown) continue;
      throw new InvalidRates(`rates.${currency}: unknown currency; supported: ${CURRENCIES.join(", ")}`);
    }
    let rate: Decimal;
    try {
      if (typeof value !== "number" && typeof value !== "string") throw new RangeError("not a number");
      // Plain decimals only: decimal.js would also read "0x0.8", "0b1" or "1e-3" in a string.
      if (typeof value === "string" && !/^\s*\d+(\.\d+)?\s*$/.test(value)) throw new RangeError("not a decimal");
      rate = dec(value);
    } catch {
      throw new InvalidRates(`rates.${currency}: must be a number (USD per unit)`);
    }
    if (options.truncate) rate = rate.toDecimalPlaces(STORED_SCALE, Decimal.ROUND_DOWN);
    if (rate.decimalPlaces() > STORED_SCALE) {
      throw new InvalidRates(`rates.${currency}: may have at most ${STORED_SCALE} decimal places`);
    }
    if (!rate.greaterThan(0)) throw new InvalidRates(`rates.${currency}: must be greater than 0`);
    if (rate.greaterThanOrEqualTo(MAX_USD_RATE)) {
      throw new InvalidRates(`rates.${currency}: must be below ${MAX_USD_RATE.toFixed()} (USD per one ${currency})`);
    }
    rates.set(currency, rate);
  }
  if (rates.size === 0) throw new InvalidRates("no rate for any supported currency");
  return rates;
}

export async function loadRates(db: Pick<Db, "fxRate">): Promise<Map<CurrencyCode, FxRate>> {
  const rows = await db.fxRate.findMany();
  return new Map(
    rows.map((row) => [
      row.currency,
      { currency: row.currency, usdRate: dec(row.usdRate), source: row.source, updatedAt: row.updatedAt },
    ]),
  );
}

export async function getFxRates(db: Db): Promise<FxRatesView> {
  return ratesView(await loadRates(db));
}

/** Sets the given rates (others unchanged) and records them in the history, in one transaction. */
/**
 * Sets rates (and their history) in one transaction. An operator's change (`audit`) is written to the audit
 * log in the same transaction; the scheduled feed refresh is not an operator action and passes none.
 */
export async function setFxRates(
  db: Db,
  rates: Map<CurrencyCode, Decimal>,
  source: string,
  options: { audit?: Actor; now?: Date } = {},
): Promise<FxRatesView> {
  const now = options.now ?? new Date();
  const entries = [...rates];
  await db.$transaction(async (tx) => {
    for (const [currency, rate] of entries) {
      await tx.fxRate.upsert({
        where: { currency },
        create: { currency, usdRate: toPlainString(rate), source, updatedAt: now },
        update: { usdRate: toPlainString(rate), source, updatedAt: now },
      });
    }
    await tx.fxRateHistory.createMany({
      data: entries.map(([currency, rate]) => ({ currency, usdRate: toPlainString(rate), source, createdAt: now })),
    });
    if (options.audit) {
      await recordAudit(tx, {
        actor: options.audit,
        action: "fx.rates_set",
        target: "fx",
        details: { rates: Object.fromEntries(entries.map(([currency, rate]) => [currency, toPlainString(rate)])) },
      });
    }
  });
  return getFxRates(db);
}

function ratesView(rates: Map<CurrencyCode, FxRate>): FxRatesView {
  const view: FxRatesView = { rates: {} };
  // The supported currencies' order, whatever order the database returns.
  for (const currency of CURRENCIES) {
    const rate = rates.get(currency);
    if (rate)
      view.rates[currency] = { usd: rate.usdRate, source: rate.source, updatedAt: rate.updatedAt.toISOString() };
  }
  return view;
}
