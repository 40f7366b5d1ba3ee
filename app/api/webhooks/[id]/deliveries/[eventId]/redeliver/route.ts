import { route } from "@/lib/api/route";
import { keyActor } from "@/lib/audit/log";
import { getPrisma } from "@/lib/db/client";
import { redeliver } from "@/lib/webhooks/endpoints";
import { DeliveryParams, DeliveryView } from "@/lib/webhooks/schemas";

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
    errors: [404],
  },
  async ({ caller, params }) => redeliver(getPrisma(), params.id, params.eventId, keyActor(caller)),
);
