import { csvResponse } from "@/lib/api/csv";
import { route } from "@/lib/api/route";
import { getReadPrisma } from "@/lib/db/client";
import { openExport } from "@/lib/exports/files";
import { csvBody, ExportQuery } from "@/lib/exports/schemas";
import { NotFound } from "@/lib/errors";

export const GET = route(
  {
    method: "GET",
    path: "/api/exports/ledger.csv",
    auth: "secret",
    summary: "The rewards ledger as CSV, every row",
    description: "Streamed from one consistent snapshot. Compacted days appear as their ROLLUP rows (docs/exports.md).",
    tags: ["Exports"],
    query: ExportQuery,
    response: csvBody("ledger"),
    produces: "text/csv",
    errors: [new NotFound("Account", "usr_3kTMd92LxQp0aZr8WvYb")],
  },
  async ({ query }) => csvResponse(await openExport(getReadPrisma(), "ledger", query)),
);
