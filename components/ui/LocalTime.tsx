"use client";

import { formatDate, formatDateTime } from "./format";
import { useHydrated } from "./use-hydrated";

/** A date (and time) in the reader's zone; in UTC, labelled, until the page has hydrated. */
export function LocalTime({ iso, dateOnly = false }: { iso: string; dateOnly?: boolean }) {
  const hydrated = useHydrated();
  return <time dateTime={iso}>{dateOnly ? formatDate(iso, hydrated) : formatDateTime(iso, hydrated)}</time>;
}
