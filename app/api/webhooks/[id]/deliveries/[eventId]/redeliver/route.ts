import { route } from "@/lib/api/route";
import { keyActor } from "@/lib/audit/log";
import { getPrisma } from "@/lib/db/client";
import { redeliver } from "@/lib/webhooks/endpoints";
import { NotFound } from "@/lib/errors";
import { deliveryExample, DeliveryParams, DeliveryView, webhookExample } from "@/lib/webhooks/schemas";

export const POST = route(
  {
    method: "POST",
    path: "/api/webhooks/{id}/deliveries/{eventId}/redeliver",
    auth: "secret",
    summary: "Send one event to the endpoint again now, with the same webhook-id, whatever its delivery status",
    description:
      "A failed delivery gets one more attempt; a pending one is moved to now. Recorded in the audit log as " +
      "`webhook.redelivered`.",
    tags: ["Webhooks"],
    params: DeliveryParams,
    response: DeliveryView,
    errors: [new NotFound("Delivery", `${webhookExample.id}/${deliveryExample.eventId}`)],
    examples: { response: { ...deliveryExample, status: "pending", nextAttemptAt: "2026-02-22T11:00:00.000Z" } },
  },
  async ({ caller, params }) => redeliver(getPrisma(), params.id, params.eventId, keyActor(caller)),
);
