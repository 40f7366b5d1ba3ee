/**
 * The query of the three CSV exports (docs/exports.md) and the documentation of what they answer. The same schema
 * checks the operator console's download links.
 */
import { z } from "@/lib/api/openapi";
import { EXPORTS, type ExportName } from "./files";
import { parseIsoInstant, type InstantEdge } from "./instant";

const DATE_HELP = 'an ISO 8601 date ("2026-03-01") or date-time ("2026-03-01T14:30:00.000Z")';

function instant(edge: InstantEdge) {
  return z
    .string()
    .max(64)
    .transform((text, ctx): Date => {
      const parsed = parseIsoInstant(text, edge);
      if (parsed) return parsed;
      ctx.addIssue({ code: "custom", message: `not ${DATE_HELP}` });
      return z.NEVER;
    });
}

export const ExportQuery = z
  .object({
    from: instant("start")
      .optional()
      .openapi({
        description:
          "Rows created at or after this instant. A date alone starts at 00:00:00.000 UTC that day; a date-time " +
          "without an offset is UTC.",
        example: "2026-03-01",
      }),
    to: instant("end")
      .optional()
      .openapi({
        description:
          "Rows created at or before this instant (inclusive). A date alone ends at 23:59:59.999 UTC that day, so " +
          "`from=2026-03-01&to=2026-03-31` is the whole of March.",
        example: "2026-03-31",
      }),
    accountId: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[^\u0000-\u001f\u007f]*$/, "must not contain control characters")
      .optional()
      .openapi({
        description:
          "Only this account's rows: the ledger row's account, the fee entry's referrer, the claim's account.",
        example: "usr_3kTMd92LxQp0aZr8WvYb",
      }),
  })
  .strict()
  .superRefine((query, ctx) => {
    if (query.from && query.to && query.from > query.to) {
      ctx.addIssue({ code: "custom", path: ["from"], message: "is after to: the range would be empty" });
    }
  });

export type ExportFilters = z.output<typeof ExportQuery>;

/** The success body of an export, for the OpenAPI document: its columns, in order, and what each holds. */
export function csvBody(name: ExportName) {
  const columns = EXPORTS[name].columns;
  return z.string().openapi({
    description:
      "RFC 4180 CSV (CRLF line ends, fields quoted only when they hold a comma, a quote or a line break), a header " +
      "row, then one row per " +
      EXPORTS[name].row +
      ". Columns: " +
      columns.map((c) => `\`${c.key}\` (${c.description})`).join("; ") +
      ". An empty field is a null.",
    example: columns.map((c) => c.key).join(",") + "\r\n",
  });
}
