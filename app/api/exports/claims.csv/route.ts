import { csvResponse } from "@/lib/api/csv";
import { route } from "@/lib/api/route";
import { getReadPrisma } from "@/lib/db/client";
import { openExport } from "@/lib/exports/files";
import { csvBody, ExportQuery } from "@/lib/exports/schemas";
import { NotFound } from "@/lib/errors";

export const GET = route(
  {
    method: "GET",
    path: "/api/exports/claims.csv",
    auth: "secret",
    summary: "Claims as CSV, one row per claim and currency, with the rate used",
    description:
      "Streamed from one consistent snapshot. `amountUsd` is the whole claim (what was sent), repeated on each of its currencies.",
    tags: ["Exports"],
    query: ExportQuery,
    response: csvBody("claims"),
    produces: "text/csv",
    errors: [new NotFound("Account", "usr_3kTMd92LxQp0aZr8WvYb")],
  },
  async ({ query }) => csvResponse(await openExport(getReadPrisma(), "claims", query)),
);
