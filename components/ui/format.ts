/**
 * Numbers and times for people. Amounts arrive as JSON numbers; each is read from its shortest round-trip text
 * (what the server wrote) as an exact decimal and cut, never rounded up: a figure shown is never more than
 * what is held or claimable.
 */
import { dec, Decimal } from "@/lib/money";

/** A JSON number from the API, or exact decimal text (server components pass `Decimal.toFixed()`). */
export type Amount = number | string;

function grouped(d: Decimal, minDecimals: number, maxDecimals: number): string {
  const cut = d.toDecimalPlaces(maxDecimals, Decimal.ROUND_DOWN);
  const fixed = cut.toFixed(Math.max(minDecimals, Math.min(maxDecimals, cut.decimalPlaces())));
  const [whole, fraction] = fixed.split(".");
  const sign = whole!.startsWith("-") ? "-" : "";
  const digits = sign ? whole!.slice(1) : whole!;
  const withCommas = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${sign}${withCommas}${fraction ? `.${fraction}` : ""}`;
}

/** USD: at least 2 decimals, up to USDC's 6 when they matter ($34.62, $0.001534). */
export function formatUsd(value: Amount): string {
  return `$${grouped(dec(value), 2, 6)}`;
}

/** Points: up to 4 decimals (2, 0.3, 1,234.5678). */
export function formatPoints(value: Amount): string {
  return grouped(dec(value), 0, 4);
}

/** A local-currency amount: at least 2 decimals, up to 6 (3,900.00, 3.70368). */
export function formatLocal(value: Amount): string {
  return grouped(dec(value), 2, 6);
}

/**
 * Every digit, grouped, with at least `minDecimals`: for a confirmation that says exactly what will move
 * (0.45 KES, 0.123456789 KES, 10 POINTS), where the cut of the figures above would understate it.
 */
export function formatExact(value: Amount, minDecimals: number): string {
  const d = dec(value);
  return grouped(d, minDecimals, Math.max(minDecimals, d.decimalPlaces()));
}

export function formatCount(value: Amount): string {
  return grouped(dec(value), 0, 0);
}

const dateTime = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });
const date = new Intl.DateTimeFormat("en", { dateStyle: "medium" });
const dateUtc = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });
const dateTimeUtc = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const dayUtc = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" });

/** In the reader's time zone, or in UTC (labelled) where the reader's zone is not known yet (server render). */
export function formatDateTime(iso: string, local: boolean): string {
  const d = new Date(iso);
  return local ? dateTime.format(d) : `${dateTimeUtc.format(d)} UTC`;
}

export function formatDate(iso: string, local: boolean): string {
  const d = new Date(iso);
  return local ? date.format(d) : `${dateUtc.format(d)} UTC`;
}

/** A history day (YYYY-MM-DD, a UTC day) as "Mar 1". */
export function formatDay(day: string): string {
  return dayUtc.format(new Date(`${day}T00:00:00Z`));
}

/** "6 d 23 h 59 m 58 s", largest unit first, without leading zero units. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const parts: [number, string][] = [
    [Math.floor(total / 86400), "d"],
    [Math.floor((total % 86400) / 3600), "h"],
    [Math.floor((total % 3600) / 60), "m"],
    [total % 60, "s"],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  return (first < 0 ? parts.slice(3) : parts.slice(first)).map(([n, u]) => `${n} ${u}`).join(" ");
}

/** "12 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

/** usr_AbCdEf…WxYz: long ids shortened in tight places; the full id stays in the title and for screen readers. */
export function shortId(id: string): string {
  return id.length <= 16 ? id : `${id.slice(0, 10)}…${id.slice(-4)}`;
}
