import { route } from "@/lib/api/route";
import { keyActor } from "@/lib/audit/log";
import { getPrisma } from "@/lib/db/client";
import { createWebhookEndpoint, listWebhookEndpoints } from "@/lib/webhooks/endpoints";
import { CreatedWebhook, CreateWebhookBody, WebhookList, webhookExample } from "@/lib/webhooks/schemas";

export const POST = route(
  {
    method: "POST",
    path: "/api/webhooks",
    auth: "secret",
    summary: "Register a webhook endpoint; the answer holds its signing secret, shown this once",
    description:
      'The endpoint receives every event of the listed types (or all, `["*"]`) emitted from now on, signed per ' +
      "Standard Webhooks (docs/webhooks.md). Recorded in the audit log as `webhook.created`.",
    tags: ["Webhooks"],
    body: CreateWebhookBody,
    status: 201,
    response: CreatedWebhook,
    examples: {
      request: { url: webhookExample.url, events: webhookExample.events, description: webhookExample.description },
      response: { ...webhookExample, secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwcNTu9yTfAQo=" },
    },
  },
  async ({ caller, body }) => createWebhookEndpoint(getPrisma(), body, keyActor(caller)),
);

export const GET = route(
  {
    method: "GET",
    path: "/api/webhooks",
    auth: "secret",
    summary: "The registered webhook endpoints (without their secrets)",
    tags: ["Webhooks"],
    response: WebhookList,
    examples: { response: { webhooks: [webhookExample] } },
  },
  async () => listWebhookEndpoints(getPrisma()),
);
