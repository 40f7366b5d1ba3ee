import { route } from "@/lib/api/route";
import { keyActor } from "@/lib/audit/log";
import { getPrisma } from "@/lib/db/client";
import { deleteWebhookEndpoint } from "@/lib/webhooks/endpoints";
import { NotFound } from "@/lib/errors";
import { DeletedWebhook, WebhookParams, webhookExample } from "@/lib/webhooks/schemas";

export const DELETE = route(
  {
    method: "DELETE",
    path: "/api/webhooks/{id}",
    auth: "secret",
    summary: "Delete a webhook endpoint: its pending deliveries stop and its delivery log goes with it",
    description: "Recorded in the audit log as `webhook.deleted`.",
    tags: ["Webhooks"],
    params: WebhookParams,
    response: DeletedWebhook,
    errors: [new NotFound("Webhook", webhookExample.id)],
    examples: { response: { id: webhookExample.id, deleted: true } },
  },
  async ({ caller, params }) => deleteWebhookEndpoint(getPrisma(), params.id, keyActor(caller)),
);
