/** Request and response shapes of the webhook routes (docs/api.md, Webhooks; docs/webhooks.md). */
import { z } from "@/lib/api/openapi";
import { WEBHOOK_EVENT_TYPES } from "./event-types";

export const MAX_URL_LENGTH = 2000;

const EventTypeOrAll = z.enum([...WEBHOOK_EVENT_TYPES, "*"]);

export const CreateWebhookBody = z
  .object({
    url: z
      .string()
      .max(MAX_URL_LENGTH)
      .refine((value) => {
        try {
          const url = new URL(value);
          return (url.protocol === "https:" || url.protocol === "http:") && url.hostname !== "";
        } catch {
          return false;
        }
      }, "must be an absolute http or https URL")
      .openapi({ example: "https://example.com/hooks/referrals" }),
    events: z
      .array(EventTypeOrAll)
      .min(1)
      .max(WEBHOOK_EVENT_TYPES.length)
      .refine((events) => !events.includes("*") || events.length === 1, '"*" (every type) stands alone')
      .refine((events) => new Set(events).size === events.length, "lists a type twice")
      .openapi({ description: 'The event types to receive, or `["*"]` for all', example: ["fee.accrued"] }),
    description: z.string().max(500).optional(),
  })
  .strict();

export const WebhookEndpointView = z.object({
  id: z.string().openapi({ example: "wh_2Lm9Qx4Rt7Ya1Sd3Fg6H" }),
  url: z.string(),
  events: z.array(EventTypeOrAll),
  description: z.string().nullable(),
  createdAt: z.string().openapi({ format: "date-time" }),
});

export const CreatedWebhook = WebhookEndpointView.extend({
  secret: z.string().openapi({
    description: "The signing secret (`whsec_…`), shown in this answer only",
    example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  }),
});

export const WebhookList = z.object({ webhooks: z.array(WebhookEndpointView) });

export const WebhookParams = z.object({ id: z.string().min(1).max(100) });

export const DeliveryParams = WebhookParams.extend({ eventId: z.string().min(1).max(100) });

export const DeliveryView = z.object({
  eventId: z.string(),
  type: z.string(),
  attempts: z.number().int(),
  status: z.enum(["pending", "succeeded", "failed"]),
  lastResponseStatus: z
    .number()
    .int()
    .nullable()
    .openapi({ description: "The HTTP status of the last attempt; null before one, or when it had no answer" }),
  nextAttemptAt: z
    .string()
    .nullable()
    .openapi({ format: "date-time", description: "When the next attempt is due; null once succeeded or failed" }),
  lastAttemptAt: z.string().nullable().openapi({ format: "date-time" }),
  lastError: z.string().nullable().openapi({ description: "Why the last attempt failed, when it did" }),
  createdAt: z.string().openapi({ format: "date-time" }),
});

export const DeliveriesQuery = z
  .object({ limit: z.coerce.number().int().min(1).max(500).optional().openapi({ description: "100 by default" }) })
  .strict();

export const DeliveryList = z.object({ deliveries: z.array(DeliveryView) });

export const DeletedWebhook = z.object({ id: z.string(), deleted: z.literal(true) });

export const webhookExample = {
  id: "wh_2Lm9Qx4Rt7Ya1Sd3Fg6H",
  url: "https://hooks.example.com/referrals",
  events: ["fee.accrued", "claim.completed"] as ("fee.accrued" | "claim.completed")[],
  description: "Finance",
  createdAt: "2026-02-22T10:00:00.000Z",
};

export const deliveryExample = {
  eventId: "evt_019c84d864a0000000b41f6c2e9d7a8355",
  type: "claim.completed",
  attempts: 2,
  status: "succeeded" as const,
  lastResponseStatus: 200,
  nextAttemptAt: null,
  lastAttemptAt: "2026-02-22T10:15:05.120Z",
  lastError: null,
  createdAt: "2026-02-22T10:15:00.000Z",
};
