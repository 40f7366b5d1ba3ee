/**
 * Webhook endpoints and their delivery log (docs/webhooks.md). Creating and deleting an endpoint is an operator
 * action, audited in its own transaction. An endpoint receives the events emitted after it was created; deleting
 * it stops its deliveries and drops its log.
 */
import "server-only";
import { randomBytes } from "node:crypto";
import { recordAudit, type Actor } from "@/lib/audit/log";
import type { Db, Prisma } from "@/lib/db/client";
import { NotFound } from "@/lib/errors";
import type { WEBHOOK_EVENT_TYPES } from "./event-types";
import { encryptSecret, newWebhookSecret } from "./secrets";

/** Notified (by the fan-out trigger, or here) when deliveries become due: every dispatcher wakes. */
export const DELIVERY_CHANNEL = "webhook_delivery";

export type EventSelection = ((typeof WEBHOOK_EVENT_TYPES)[number] | "*")[];

export interface WebhookEndpointView {
  id: string;
  url: string;
  events: EventSelection;
  description: string | null;
  createdAt: string;
}

export interface NewWebhookEndpoint {
  url: string;
  events: EventSelection;
  description?: string;
}

function endpointView(row: {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  createdAt: Date;
}): WebhookEndpointView {
  return {
    id: row.id,
    url: row.url,
    events: row.events as EventSelection,
    description: row.description,
    createdAt: row.createdAt.toISOString(),
  };
}

const VIEW_FIELDS = { id: true, url: true, events: true, description: true, createdAt: true } as const;

/** Makes an endpoint; the answer holds its signing secret, which is never shown again. */
export async function createWebhookEndpoint(
  db: Db,
  input: NewWebhookEndpoint,
  actor: Actor,
): Promise<WebhookEndpointView & { secret: string }> {
  const secret = newWebhookSecret();
  const id = `wh_${randomBytes(16).toString("base64url")}`;
  const row = await db.$transaction(async (tx) => {
    const created = await tx.webhookEndpoint.create({
      data: {
        id,
        url: input.url,
        events: input.events,
        description: input.description ?? null,
        secretEncrypted: encryptSecret(secret),
      },
      select: VIEW_FIELDS,
    });
    await recordAudit(tx, {
      actor,
      action: "webhook.created",
      target: id,
      details: { url: input.url, events: input.events },
    });
    return created;
  });
  return { ...endpointView(row), secret };
}

export async function listWebhookEndpoints(db: Db): Promise<{ webhooks: WebhookEndpointView[] }> {
  const rows = await db.webhookEndpoint.findMany({
    select: VIEW_FIELDS,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return { webhooks: rows.map(endpointView) };
}

/** @throws NotFound (404) for an unknown endpoint */
export async function deleteWebhookEndpoint(db: Db, id: string, actor: Actor): Promise<{ id: string; deleted: true }> {
  await db.$transaction(async (tx) => {
    const [gone] = await tx.$queryRaw<{ url: string }[]>`DELETE FROM webhook_endpoint WHERE id = ${id} RETURNING url`;
    if (!gone) throw new NotFound("Webhook", id);
    await recordAudit(tx, { actor, action: "webhook.deleted", target: id, details: { url: gone.url } });
  });
  return { id, deleted: true };
}

export type DeliveryStatus = "pending" | "succeeded" | "failed";

export interface DeliveryView {
  eventId: string;
  type: string;
  attempts: number;
  status: DeliveryStatus;
  lastResponseStatus: number | null;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
}

export const DEFAULT_DELIVERY_PAGE = 100;

/**
 * An endpoint's deliveries, newest event first.
 * @throws NotFound (404) for an unknown endpoint
 */
export async function listDeliveries(
  db: Db | Prisma.TransactionClient,
  endpointId: string,
  options: { limit?: number; eventId?: string } = {},
): Promise<{ deliveries: DeliveryView[] }> {
  const endpoint = await db.webhookEndpoint.findUnique({ where: { id: endpointId }, select: { id: true } });
  if (!endpoint) throw new NotFound("Webhook", endpointId);
  const rows = await db.webhookDelivery.findMany({
    where: { endpointId, ...(options.eventId ? { eventId: options.eventId } : {}) },
    orderBy: [{ createdAt: "desc" }, { eventId: "desc" }],
    take: options.limit ?? DEFAULT_DELIVERY_PAGE,
    include: { event: { select: { type: true } } },
  });
  return {
    deliveries: rows.map((row) => ({
      eventId: row.eventId,
      type: row.event.type,
      attempts: row.attempts,
      status: row.status as DeliveryStatus,
      lastResponseStatus: row.lastResponseStatus,
      nextAttemptAt: row.status === "pending" ? (row.nextAttemptAt?.toISOString() ?? null) : null,
      lastAttemptAt: row.lastAttemptAt?.toISOString() ?? null,
      lastError: row.lastError,
      createdAt: row.createdAt.toISOString(),
    })),
  };
}

/**
 * Sends a delivery again now (with the same webhook-id), whatever its status: the next free dispatcher takes it.
 * An attempt in flight finishes first (its lease holds the delivery). Audited as `webhook.redelivered`.
 * @throws NotFound (404) for an unknown endpoint, or an event the endpoint never had
 */
export async function redeliver(db: Db, endpointId: string, eventId: string, actor: Actor): Promise<DeliveryView> {
  // The answer is the delivery as this transaction left it: read after the commit, a dispatcher may already have
  // sent it, and the caller would be told of an attempt it did not ask about.
  return db.$transaction(async (tx) => {
    const updated = await tx.$executeRaw`
      UPDATE webhook_delivery SET status = 'pending', next_attempt_at = now()
      WHERE endpoint_id = ${endpointId} AND event_id = ${eventId}`;
    if (updated === 0) throw new NotFound("Delivery", `${endpointId}/${eventId}`);
    await recordAudit(tx, { actor, action: "webhook.redelivered", target: endpointId, details: { eventId } });
    await tx.$executeRaw`SELECT pg_notify(${DELIVERY_CHANNEL}, '')`;
    const { deliveries } = await listDeliveries(tx, endpointId, { eventId });
    return deliveries[0]!;
  });
}
