import { csvResponse } from "@/lib/api/csv";
import { route } from "@/lib/api/route";
import { getReadPrisma } from "@/lib/db/client";
import { openExport } from "@/lib/exports/files";
import { csvBody, ExportQuery } from "@/lib/exports/schemas";
import { NotFound } from "@/lib/errors";

export const GET = route(
  {
    method: "GET",
    path: "/api/exports/fee-entries.csv",
    auth: "secret",
    summary: "Perpetual Earnings fee entries as CSV",
    description: "Streamed from one consistent snapshot; `accountId` is the referrer.",
    tags: ["Exports"],
    query: ExportQuery,
    response: csvBody("fee-entries"),
    produces: "text/csv",
    errors: [new NotFound("Account", "usr_3kTMd92LxQp0aZr8WvYb")],
  },
  async ({ query }) => csvResponse(await openExport(getReadPrisma(), "fee-entries", query)),
);
