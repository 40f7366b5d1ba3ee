import { route } from "@/lib/api/route";
import { listAuditLog } from "@/lib/audit/log";
import { AuditLogQuery, AuditLogResponse } from "@/lib/audit/schemas";
import { getPrisma } from "@/lib/db/client";

export const GET = route(
  {
    method: "GET",
    path: "/api/audit-log",
    auth: "secret",
    summary: "Every operator action, newest first (append-only)",
    description:
      "Each entry is written in the same transaction as the action it records; the database refuses to change or " +
      "delete one. Page with `cursor` (the previous page's `nextCursor`); a malformed cursor is a 400.",
    tags: ["Operations"],
    query: AuditLogQuery,
    response: AuditLogResponse,
  },
  async ({ query }) => listAuditLog(getPrisma(), query),
);
