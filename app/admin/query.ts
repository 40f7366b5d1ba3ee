import { DomainError } from "@/lib/errors";

/** A console page's query string, as Next.js hands it over. */
export type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** One query parameter: its first value, trimmed and at most 200 characters; undefined when blank. */
export function queryParam(params: Awaited<SearchParams>, name: string): string | undefined {
  const value = params[name];
  const first = (Array.isArray(value) ? value[0] : value)?.trim();
  return first ? first.slice(0, 200) : undefined;
}

/** A page of a list, or null when the list refuses its cursor (a stale or edited link): the page says so. */
export function pageOrNull<T>(listing: Promise<T>): Promise<T | null> {
  return listing.catch((error: unknown) => {
    if (error instanceof DomainError) return null;
    throw error;
  });
}
