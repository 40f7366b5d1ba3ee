import { route } from "@/lib/api/route";
import { getPrisma } from "@/lib/db/client";
import { listDeliveries } from "@/lib/webhooks/endpoints";
import { NotFound } from "@/lib/errors";
import { DeliveriesQuery, DeliveryList, deliveryExample, WebhookParams, webhookExample } from "@/lib/webhooks/schemas";

export const GET = route(
  {
    method: "GET",
    path: "/api/webhooks/{id}/deliveries",
    auth: "secret",
    summary: "An endpoint's deliveries, newest event first: attempts, status, last response, next attempt",
    tags: ["Webhooks"],
    params: WebhookParams,
    query: DeliveriesQuery,
    response: DeliveryList,
    errors: [new NotFound("Webhook", webhookExample.id)],
    examples: { response: { deliveries: [deliveryExample] } },
  },
  async ({ params, query }) => listDeliveries(getPrisma(), params.id, { limit: query.limit }),
);
