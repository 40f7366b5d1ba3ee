/**
 * The webhook outbox. A change that announces itself writes its event here with the same transaction client
 * (or in the same statement), so the event exists exactly when the change committed: never an event for a
 * rolled-back change, never a committed change without its event. Delivery (signing, retries, the delivery
 * log) reads from this table; see docs/webhooks.md.
 *
 * `data` is stored as jsonb written from exact JSON text, so amounts keep every digit (PostgreSQL's numeric
 * inside jsonb is exact, and `data::text` renders it back unchanged for the delivered body).
 */
import "server-only";
import { randomBytes } from "node:crypto";
import { stringifyExact } from "@/lib/api/json";
import type { Db, Prisma } from "@/lib/db/client";
import type { CurrencyCode, Decimal } from "@/lib/money";
import { WEBHOOK_EVENT_TYPES } from "./event-types";

type Client = Db | Prisma.TransactionClient;

/** Every event type and its `data` (docs/webhooks.md). Amounts are exact decimals, rendered as JSON numbers. */
export interface WebhookEventData {
  "account.created": { accountId: string; kind: "user" | "provider"; referredBy: string | null };
  "referral.applied": { accountId: string; referrerId: string };
  "fee.accrued": { orderId: string; referrerId: string; currency: CurrencyCode; amount: Decimal };
  "claim.completed": ClaimEventData;
  "claim.failed": ClaimEventData;
  "reversal.created": { reversalId: string; source: "usage" | "compute" | "transaction"; sourceId: string };
  "adjustment.created": { adjustmentId: string; accountId: string; unit: string; amount: Decimal };
  "account.frozen": { accountId: string; reason: string };
}

export interface ClaimEventData {
  claimId: string;
  accountId: string;
  amountUsd: Decimal;
  transactionHash: string | null;
  status: "COMPLETED" | "FAILED";
}

/** A type missing from WebhookEventData fails to compile where `emitEvent` indexes it. */
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export { WEBHOOK_EVENT_TYPES };

let lastMs = 0;
let sequence = 0;
const SEQUENCE_MAX = 0xffffff;

/**
 * The event's `webhook-id` at every endpoint and on every attempt: `evt_` + the time in ms (12 hex digits) + this
 * process's sequence within that ms (6) + 64 random bits (16). The ids a process makes sort in the order it made
 * them, so the events one transaction writes (which share its time) still list newest first: the deliveries log
 * orders by time, then by id.
 */
export function newEventId(): string {
  const now = Date.now();
  if (now > lastMs) [lastMs, sequence] = [now, 0];
  else if (sequence < SEQUENCE_MAX) sequence++;
  else [lastMs, sequence] = [lastMs + 1, 0];
  const time = lastMs.toString(16).padStart(12, "0");
  return `evt_${time}${sequence.toString(16).padStart(6, "0")}${randomBytes(8).toString("hex")}`;
}

/** Writes one event with `client` (pass the change's transaction). Returns its id. */
export async function emitEvent<T extends WebhookEventType>(
  client: Client,
  type: T,
  data: WebhookEventData[T],
): Promise<string> {
  const id = newEventId();
  await client.$executeRaw`
    INSERT INTO webhook_event (id, type, data) VALUES (${id}, ${type}, ${stringifyExact(data)}::jsonb)`;
  return id;
}

/** Writes one event of `type` per item in one statement (a batch), with the change's transaction like emitEvent. */
export async function emitEvents<T extends WebhookEventType>(
  client: Client,
  type: T,
  items: readonly WebhookEventData[T][],
): Promise<void> {
  if (items.length === 0) return;
  const rows = `[${items.map((data) => `{"id":${JSON.stringify(newEventId())},"data":${stringifyExact(data)}}`).join(",")}]`;
  await client.$executeRaw`
    INSERT INTO webhook_event (id, type, data)
    SELECT id, ${type}, data FROM jsonb_to_recordset(${rows}::jsonb) AS t(id text, data jsonb)`;
}
