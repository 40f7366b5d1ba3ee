/** Request and response shapes of the audit log route (docs/api.md, Audit log). */
import { z } from "@/lib/api/openapi";
import { MAX_AUDIT_PAGE } from "./log";

export const AuditLogQuery = z
  .object({
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_AUDIT_PAGE)
      .optional()
      .openapi({ description: "Page size, 50 by default" }),
    cursor: z.string().min(1).max(200).optional(),
    target: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: "Only the entries about this id (an account, an adjustment, …)" }),
  })
  .strict();

export const AuditLogResponse = z.object({
  entries: z.array(
    z.object({
      id: z.string(),
      at: z.string().openapi({ format: "date-time" }),
      actor: z.string().openapi({
        description: "key:<first 12 characters of the API key>, console:<the same>, cli:<user> or system:signals",
        example: "key:sk_live_Ab3d",
      }),
      action: z.string().openapi({ example: "account.frozen" }),
      target: z.string().openapi({ description: "The id acted on", example: "usr_abc123" }),
      details: z.unknown(),
    }),
  ),
  nextCursor: z.string().nullable(),
});
