/**
 * Scheduled refresh from a configured HTTP source (`FX_SOURCE_URL`). The source answers GET with
 * `{"rates": {"KES": 0.0077, "NGN": 0.00063, …}}`: USD per one unit, as JSON numbers or decimal strings.
 * Currencies we do not support are ignored; values with more than 18 decimals are cut to 18.
 */
import "server-only";
import type { Db } from "@/lib/db/client";
import { parseRates, setFxRates, type Env, type FxRatesView } from "./rates";

export const DEFAULT_FX_REFRESH_SECONDS = 3600;
const FETCH_TIMEOUT_MS = 10_000;

export type FetchLike = (
  url: string,
  init: { signal: AbortSignal; headers: Record<string, string> },
) => Promise<Response>;

export function fxRefreshIntervalMs(env: Env = process.env): number {
  const raw = env.FX_REFRESH_SECONDS;
  if (raw === undefined || raw.trim() === "") return DEFAULT_FX_REFRESH_SECONDS * 1000;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds <= 0) {
    throw new Error(`FX_REFRESH_SECONDS must be a positive whole number of seconds, got "${raw}"`);
  }
  return seconds * 1000;
}

/** The source label stored with each rate: the feed's address without query string or credentials. */
export function feedSourceLabel(url: string): string {
  const parsed = new URL(url);
  return `feed:${parsed.origin}${parsed.pathname}`;
}

/**
 * Fetches FX_SOURCE_URL and stores the rates it lists. Nothing changes when the source fails or answers
 * something invalid: the error is thrown for the scheduler to log.
 * @returns the rates now in force, or null when no source is configured
 */
export async function refreshFxRates(
  db: Db,
  fetchImpl: FetchLike = fetch,
  env: Env = process.env,
): Promise<FxRatesView | null> {
  const url = env.FX_SOURCE_URL?.trim();
  if (!url) return null;
  const source = feedSourceLabel(url);
  const response = await fetchImpl(url, {
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    headers: { accept: "application/json" },
  });
  if (!response.ok) throw new Error(`FX source ${source} answered HTTP ${response.status}`);
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new Error(`FX source ${source} did not answer JSON`);
  }
  const rates = typeof body === "object" && body !== null && "rates" in body ? body.rates : undefined;
  return setFxRates(db, parseRates(rates, { truncate: true, ignoreUnknown: true }), source);
}
