/**
 * ISO 8601 instants for inclusive ranges over rows stored to the millisecond. A bound written more coarsely
 * than a millisecond covers all of what it names: a date alone as `to` ends at 23:59:59.999 that day, and a
 * fraction finer than a millisecond rounds inward (up for `from`, down for `to`), so `created_at >= from` and
 * `created_at <= to` on millisecond timestamps select exactly the rows inside the written range.
 */

/** Which end of an inclusive range the text is. */
export type InstantEdge = "start" | "end";

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Minutes east of UTC for `Z`, `+03`, `+0300` or `+03:00`; null when out of range. */
function offsetMinutes(zone: string | undefined): number | null {
  if (zone === undefined || zone === "Z") return 0;
  const sign = zone[0] === "-" ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 23 || minutes > 59) return null;
  return sign * (hours * 60 + minutes);
}

/**
 * The instant `text` names, to the millisecond, or null when it is not an ISO 8601 date (`2026-03-01`) or
 * date-time (`2026-03-01T14:30`, `…:05`, `…:05.123`, with `Z` or an offset such as `+03:00`; none means UTC).
 */
export function parseIsoInstant(text: string, edge: InstantEdge): Date | null {
  const match = ISO.exec(text);
  if (!match) return null;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  const offset = offsetMinutes(zone);
  if (offset === null) return null;

  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999.
  date.setUTCFullYear(year, month - 1, day);
  if (h === undefined) {
    if (edge === "end") date.setUTCHours(23, 59, 59, 999);
    return date;
  }
  const [hours, minutes, seconds] = [Number(h), Number(mi), Number(s ?? 0)];
  if (hours > 23 || minutes > 59 || seconds > 59) return null;
  const digits = (fraction ?? "").padEnd(3, "0");
  let millis = Number(digits.slice(0, 3));
  if (edge === "start" && /[1-9]/.test(digits.slice(3))) millis += 1;
  date.setUTCHours(hours, minutes, seconds, millis);
  return new Date(date.getTime() - offset * 60_000);
}
