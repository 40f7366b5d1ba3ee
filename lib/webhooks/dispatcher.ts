/**
 * Delivers webhook events (docs/webhooks.md). Every app instance runs one dispatcher; they share the work through
 * the delivery rows, so N instances deliver each event to each endpoint as one would.
 *
 * - Taking work: one statement picks due deliveries with FOR UPDATE SKIP LOCKED (instances never pick the same
 *   row), counts the attempt and leases the row for the attempt's length plus a margin. While the lease holds, no
 *   instance takes the delivery: one event is sent to one endpoint by one instance at a time.
 * - Recording: the outcome is written only if the row still carries this attempt's number. A sender that died
 *   between sending and recording (SIGKILL, power loss) leaves its lease to run out, and the delivery is sent
 *   again, with the same webhook-id: receivers deduplicate on it (at-least-once delivery).
 * - Waking: the fan-out trigger notifies channel `webhook_delivery` at the commit of every event that has
 *   deliveries; the dispatcher listens and also polls every second (retries come due by time, and a lost listening
 *   connection must not stall delivery), so an event goes out within about a second of its commit.
 * - Fairness: deliveries run in parallel, at most `perEndpoint` at a time to one endpoint and `concurrency` in all,
 *   so an endpoint that times out does not hold up the others.
 */
import "server-only";
import { Webhook } from "standardwebhooks";
import type { Db } from "@/lib/db/client";
import { databaseListener, type DatabaseListener, type Listening } from "@/lib/db/listener";
import { errorField, logger } from "@/lib/observability/log";
import { DELIVERY_OUTCOMES, metrics } from "@/lib/observability/metrics";
import type { Env } from "@/lib/payouts/config";
import { DELIVERY_CHANNEL } from "./endpoints";
import { decryptSecret } from "./secrets";

/** Seconds from one attempt to the next: 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 3 h, 6 h, 12 h, 24 h. */
export const DEFAULT_RETRY_SCHEDULE = [5, 30, 120, 600, 1800, 3600, 10800, 21600, 43200, 86400] as const;

/** An attempt with no answer in this time failed. */
export const ATTEMPT_TIMEOUT_MS = 10_000;

/** How long a delivery stays with the instance sending it: the attempt's time and a margin to record it. */
export const LEASE_MS = ATTEMPT_TIMEOUT_MS + 5_000;

/**
 * The delays between attempts: WEBHOOK_RETRY_SCHEDULE (comma-separated seconds; `1,2,4` means four attempts in
 * all) or the default.
 * @throws when the variable is set but is not a list of non-negative whole numbers of seconds
 */
export function retrySchedule(env: Env = process.env): number[] {
  const raw = env.WEBHOOK_RETRY_SCHEDULE?.trim();
  if (!raw) return [...DEFAULT_RETRY_SCHEDULE];
  const delays = raw.split(",").map((part) => part.trim());
  if (!delays.every((part) => /^\d{1,9}$/.test(part))) {
    throw new Error(`WEBHOOK_RETRY_SCHEDULE must be comma-separated whole numbers of seconds, got "${raw}"`);
  }
  return delays.map(Number);
}

interface ClaimedDelivery {
  eventId: string;
  endpointId: string;
  /** This attempt's number (1 for the first): the fence its outcome is recorded under. */
  attempt: number;
  type: string;
  createdAt: Date;
  /** The event's data as exact JSON text. */
  data: string;
  url: string;
  secretEncrypted: string;
}

export interface AttemptOutcome {
  ok: boolean;
  /** The HTTP status, or null when there was no answer. */
  status: number | null;
  error: string | null;
}

/** The delivered body: `{"id","type","createdAt","data"}`, amounts exact. */
export function deliveryBody(delivery: { eventId: string; type: string; createdAt: Date; data: string }): string {
  return (
    `{"id":${JSON.stringify(delivery.eventId)},"type":${JSON.stringify(delivery.type)},` +
    `"createdAt":${JSON.stringify(delivery.createdAt.toISOString())},"data":${delivery.data}}`
  );
}

/** The Standard Webhooks headers for one attempt, signed by the reference library. */
export function signedHeaders(secret: string, eventId: string, body: string, at: Date): Record<string, string> {
  return {
    "webhook-id": eventId,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(eventId, at, body),
  };
}

async function claimDue(
  db: Db,
  limit: number,
  perEndpoint: number,
  saturated: readonly string[],
): Promise<ClaimedDelivery[]> {
  const rows = await db.$queryRaw<
    {
      event_id: string;
      endpoint_id: string;
      attempts: number;
      type: string;
      created_at: Date;
      data: string;
      url: string;
      secret_encrypted: string;
    }[]
  >`
    WITH due AS (
      SELECT d.event_id, d.endpoint_id
      FROM (SELECT id FROM webhook_endpoint WHERE id <> ALL (${saturated}::text[]) ORDER BY random()) w
      CROSS JOIN LATERAL (
        SELECT event_id, endpoint_id FROM webhook_delivery
        WHERE endpoint_id = w.id AND status = 'pending' AND next_attempt_at <= now()
          AND (leased_until IS NULL OR leased_until <= now())
        ORDER BY next_attempt_at
        LIMIT ${perEndpoint}
        FOR UPDATE SKIP LOCKED
      ) d
      LIMIT ${limit}
    )
    UPDATE webhook_delivery d
    SET attempts = d.attempts + 1, last_attempt_at = now(),
        leased_until = now() + make_interval(secs => ${LEASE_MS / 1000})
    FROM due, webhook_event e, webhook_endpoint w
    WHERE d.event_id = due.event_id AND d.endpoint_id = due.endpoint_id AND e.id = d.event_id AND w.id = d.endpoint_id
    RETURNING d.event_id, d.endpoint_id, d.attempts, e.type, e.created_at, e.data::text AS data, w.url, w.secret_encrypted`;
  return rows.map((r) => ({
    eventId: r.event_id,
    endpointId: r.endpoint_id,
    attempt: r.attempts,
    type: r.type,
    createdAt: r.created_at,
    data: r.data,
    url: r.url,
    secretEncrypted: r.secret_encrypted,
  }));
}

function reasonOf(error: unknown): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return `No answer within ${ATTEMPT_TIMEOUT_MS / 1000} s`;
  }
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause?.code === "string") return `Connection failed: ${cause.code}`;
  // fetch's own refusals (a port it never connects to) carry their reason only as the cause's message.
  if (typeof cause?.message === "string" && cause.message) return `Connection failed: ${cause.message.slice(0, 200)}`;
  return error instanceof Error ? error.message.slice(0, 300) : String(error).slice(0, 300);
}

/** One POST of the event to the endpoint. Any 2xx is a success; redirects are not followed (a 3xx is a failure). */
export async function attemptDelivery(
  delivery: ClaimedDelivery,
  timeoutMs: number = ATTEMPT_TIMEOUT_MS,
): Promise<AttemptOutcome> {
  let secret: string;
  try {
    secret = decryptSecret(delivery.secretEncrypted);
  } catch {
    return { ok: false, status: null, error: "The endpoint's secret cannot be read (AUTH_SECRET changed?)" };
  }
  const body = deliveryBody(delivery);
  try {
    const response = await fetch(delivery.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "referral-engine-webhooks/1",
        ...signedHeaders(secret, delivery.eventId, body, new Date()),
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel().catch(() => undefined);
    const ok = response.status >= 200 && response.status < 300;
    return { ok, status: response.status, error: ok ? null : `HTTP ${response.status}` };
  } catch (error) {
    return { ok: false, status: null, error: reasonOf(error) };
  }
}

type Recorded = (typeof DELIVERY_OUTCOMES)[number];

async function recordOutcome(
  db: Db,
  delivery: ClaimedDelivery,
  outcome: AttemptOutcome,
  schedule: readonly number[],
): Promise<Recorded> {
  const delay = schedule[delivery.attempt - 1];
  const status = outcome.ok ? "succeeded" : delay === undefined ? "failed" : "pending";
  const updated = await db.$executeRaw`
    UPDATE webhook_delivery
    SET status = ${status}, leased_until = NULL, last_response_status = ${outcome.status},
        last_error = ${outcome.error},
        next_attempt_at = CASE WHEN ${status} = 'pending' THEN now() + make_interval(secs => ${delay ?? 0}) END
    WHERE event_id = ${delivery.eventId} AND endpoint_id = ${delivery.endpointId} AND attempts = ${delivery.attempt}`;
  if (updated === 0) return "superseded";
  return status === "pending" ? "retrying" : status;
}

export interface DispatcherOptions {
  /** LISTENs here for new deliveries; without it the dispatcher only polls. */
  databaseUrl?: string;
  /** The delays between attempts, in seconds (retrySchedule()). */
  schedule?: readonly number[];
  pollMs?: number;
  concurrency?: number;
  perEndpoint?: number;
}

export class WebhookDispatcher {
  private readonly schedule: readonly number[];
  private readonly pollMs: number;
  private readonly concurrency: number;
  private readonly perEndpoint: number;
  private readonly inFlight = new Map<string, number>();
  private readonly sending = new Set<Promise<void>>();
  private total = 0;
  private stopped = false;
  private woken = false;
  private wakeUp: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  /** Wake-ups for the retries this instance scheduled, one per 100 ms slot, so each goes out when it falls due. */
  private readonly retryWakeUps = new Map<number, NodeJS.Timeout>();
  private readonly listener: DatabaseListener | null;
  private readonly channel: Listening = {
    notify: () => this.wake(),
    // Listening (again) on a new connection: what was notified before was not heard, so look now, not at the poll.
    connected: () => this.wake(),
  };

  constructor(
    private readonly db: Db,
    private readonly options: DispatcherOptions = {},
  ) {
    this.schedule = options.schedule ?? retrySchedule();
    this.pollMs = options.pollMs ?? 1000;
    this.concurrency = options.concurrency ?? 32;
    this.perEndpoint = options.perEndpoint ?? 8;
    this.listener = options.databaseUrl ? databaseListener(options.databaseUrl) : null;
  }

  start(): this {
    if (this.loop) return this;
    this.listener?.listen(DELIVERY_CHANNEL, this.channel).catch(() => undefined);
    this.loop = this.run();
    return this;
  }

  /** Looks for due deliveries now rather than at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /**
   * Wakes when a retry this instance scheduled falls due: waiting for the next poll would make each retry up to a
   * poll interval late. (Retries scheduled by an instance that has since gone are found by the poll.)
   */
  private wakeAfter(ms: number): void {
    // Past the due time by a little: next_attempt_at was set by the database's clock at the recording statement.
    const slot = Math.ceil((Date.now() + ms + 10) / 100) * 100;
    if (this.stopped || this.retryWakeUps.has(slot)) return;
    const timer = setTimeout(() => {
      this.retryWakeUps.delete(slot);
      this.wake();
    }, slot - Date.now());
    timer.unref();
    this.retryWakeUps.set(slot, timer);
  }

  /** Stops taking work and waits for the attempts in flight to be recorded. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.retryWakeUps.values()) clearTimeout(timer);
    this.retryWakeUps.clear();
    this.wake();
    await this.loop;
    await Promise.all(this.sending);
    await this.listener?.unlisten(DELIVERY_CHANNEL, this.channel);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.woken = false;
      try {
        await this.round();
      } catch (error) {
        logger().error({ component: "webhooks", error: errorField(error) }, "webhook dispatch round failed");
      }
      if (this.stopped || this.woken) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.pollMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = null;
    }
  }

  private async round(): Promise<void> {
    const free = this.concurrency - this.total;
    if (free <= 0) return;
    const saturated = [...this.inFlight].filter(([, n]) => n >= this.perEndpoint).map(([id]) => id);
    const claimed = await claimDue(this.db, free, this.perEndpoint, saturated);
    for (const delivery of claimed) this.send(delivery);
    // A full batch: more may be due at once.
    if (claimed.length === free) this.woken = true;
  }

  private send(delivery: ClaimedDelivery): void {
    this.total++;
    this.inFlight.set(delivery.endpointId, (this.inFlight.get(delivery.endpointId) ?? 0) + 1);
    const sending: Promise<void> = this.deliver(delivery).finally(() => {
      this.total--;
      const left = (this.inFlight.get(delivery.endpointId) ?? 1) - 1;
      if (left === 0) this.inFlight.delete(delivery.endpointId);
      else this.inFlight.set(delivery.endpointId, left);
      this.sending.delete(sending);
      this.wake();
    });
    this.sending.add(sending);
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    try {
      const outcome = await attemptDelivery(delivery);
      const recorded = await recordOutcome(this.db, delivery, outcome, this.schedule);
      metrics().webhookDeliveries.inc({ outcome: recorded });
      if (recorded === "retrying") this.wakeAfter(this.schedule[delivery.attempt - 1]! * 1000);
      if (recorded === "failed") {
        logger().warn(
          { component: "webhooks", eventId: delivery.eventId, endpointId: delivery.endpointId },
          `webhook delivery failed after ${delivery.attempt} attempts: ${outcome.error}`,
        );
      }
    } catch (error) {
      // Not recorded: the lease runs out and a later round sends it again.
      logger().error({ component: "webhooks", error: errorField(error) }, "webhook delivery not recorded");
    }
  }
}

/**
 * The app server's dispatcher (started in instrumentation.ts beside the background jobs). It listens for
 * notifications unless LIVE_UPDATES_DISABLED=true (the embedded database, which cannot hold a listening
 * connection), and then only polls.
 */
export function startWebhookDispatcher(db: Db, env: Env = process.env): WebhookDispatcher {
  return new WebhookDispatcher(db, {
    databaseUrl: env.LIVE_UPDATES_DISABLED === "true" ? undefined : env.DATABASE_URL,
    schedule: retrySchedule(env),
  }).start();
}
