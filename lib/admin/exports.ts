/**
 * The console's exports (app/admin/exports): the filters as its form sends them, checked with the API's own query
 * schema (lib/exports/schemas.ts), and the download links they give. The downloads are the API's files, served to
 * the operator's console session instead of a secret key.
 */
import "server-only";
import type { Db } from "@/lib/db/client";
import { EXPORT_NAMES, type ExportName } from "@/lib/exports/files";
import { ExportQuery, type ExportFilters } from "@/lib/exports/schemas";

export const FILTER_FIELDS = ["from", "to", "accountId"] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

export type CheckedFilters =
  | { ok: true; filters: ExportFilters; values: Partial<Record<FilterField, string>> }
  | { ok: false; problems: Partial<Record<FilterField, string>>; values: Partial<Record<FilterField, string>> };

/** The form's fields; a blank one is no filter (an empty date field sends `from=`). */
export function filterValues(
  read: (field: FilterField) => string | null | undefined,
): Partial<Record<FilterField, string>> {
  const values: Partial<Record<FilterField, string>> = {};
  for (const field of FILTER_FIELDS) {
    const value = read(field)?.trim();
    if (value) values[field] = value;
  }
  return values;
}

/** The filters, or what is wrong with each field, in words for the form. An unknown account is wrong too. */
export async function checkFilters(db: Db, values: Partial<Record<FilterField, string>>): Promise<CheckedFilters> {
  const parsed = ExportQuery.safeParse(values);
  if (!parsed.success) {
    const problems: Partial<Record<FilterField, string>> = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as FilterField;
      problems[field] ??= `${LABELS[field]} ${issue.message}`;
    }
    return { ok: false, problems, values };
  }
  const { accountId } = parsed.data;
  if (accountId !== undefined && !(await db.account.findUnique({ where: { id: accountId }, select: { id: true } }))) {
    return { ok: false, problems: { accountId: `No account has the id ${accountId}` }, values };
  }
  return { ok: true, filters: parsed.data, values };
}

const LABELS: Record<FilterField, string> = { from: "From:", to: "To:", accountId: "Account:" };

/** `ledger.csv` → `ledger`; anything else is no export. */
export function exportNamed(file: string): ExportName | null {
  const name = file.replace(/\.csv$/, "");
  return file.endsWith(".csv") && (EXPORT_NAMES as readonly string[]).includes(name) ? (name as ExportName) : null;
}

export function downloadHref(name: ExportName, values: Partial<Record<FilterField, string>>): string {
  const query = new URLSearchParams(values as Record<string, string>).toString();
  return `/admin/exports/${name}.csv${query ? `?${query}` : ""}`;
}
