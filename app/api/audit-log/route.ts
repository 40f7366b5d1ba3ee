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
    errors: ["invalid_cursor"],
    examples: {
      response: {
        entries: [
          {
            id: "1042",
            at: "2026-02-22T09:00:00.000Z",
            actor: "key:sk_live_Ab3d",
            action: "fx.rates_set",
            target: "fx",
            details: { rates: { KES: "0.0077" } },
          },
        ],
        nextCursor: null,
      },
    },
  },
  async ({ query }) => listAuditLog(getPrisma(), query),
);
