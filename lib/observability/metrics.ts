/**
 * The process's Prometheus metrics (docs/operations.md): one prom-client registry holding the process's own
 * metrics (prom-client's defaults), the HTTP request histogram that `route()` feeds, the domain counters that the
 * rules increment where the thing counted happens, and gauges of the database pools.
 *
 * Each instance counts what it did itself: several instances behind a load balancer each expose their own
 * counters, and Prometheus scrapes every instance and sums (`sum by (…) (rate(…))`), as with any service.
 *
 * The registry lives on globalThis: Next.js may evaluate this module more than once in one process (one copy per
 * route bundle, dev reloads), and two registries would each count half of the requests.
 */
import "server-only";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { ClaimStatus } from "@/lib/db/generated/enums";

/** What the pool gauges read: node-postgres's Pool has these three counts. */
export interface PoolStats {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/** The kinds of `referral_events_total`. */
const EVENT_KINDS = ["usage", "compute", "transaction"] as const;
/** The outcomes of `referral_webhook_deliveries_total`: what recording an attempt found (lib/webhooks/dispatcher.ts). */
export const DELIVERY_OUTCOMES = ["succeeded", "retrying", "failed", "superseded"] as const;
/** The outcomes of `referral_job_runs_total`. */
export const JOB_OUTCOMES = ["succeeded", "failed", "skipped"] as const;

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const pools = new Map<string, PoolStats>();
  const poolGauge = (name: string, help: string, read: (pool: PoolStats) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ["pool"],
      registers: [registry],
      collect() {
        this.reset();
        for (const [label, pool] of pools) this.set({ pool: label }, read(pool));
      },
    });
  const metrics = {
    registry,
    pools,
    httpRequestDuration: new Histogram({
      name: "http_request_duration_seconds",
      help: "Duration of API requests, by method, route template and status",
      labelNames: ["method", "route", "status"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    events: new Counter({
      name: "referral_events_total",
      help: "Events recorded (replays not counted), by kind: usage, compute, transaction",
      labelNames: ["kind"],
      registers: [registry],
    }),
    ledgerRows: new Counter({
      name: "referral_ledger_rows_total",
      help: "Rows appended to the rewards ledger",
      registers: [registry],
    }),
    claims: new Counter({
      name: "referral_claims_total",
      help: "Claims that reached a status: PENDING when recorded, then COMPLETED or FAILED",
      labelNames: ["status"],
      registers: [registry],
    }),
    webhookDeliveries: new Counter({
      name: "referral_webhook_deliveries_total",
      help: "Webhook delivery attempts, by outcome",
      labelNames: ["outcome"],
      registers: [registry],
    }),
    jobRuns: new Counter({
      name: "referral_job_runs_total",
      help: "Background job runs, by job and outcome (succeeded, failed, or skipped while another instance ran it)",
      labelNames: ["job", "outcome"],
      registers: [registry],
    }),
    liveStreams: new Gauge({
      name: "referral_live_streams",
      help: "Open live-update streams (GET /api/live) on this instance",
      registers: [registry],
    }),
    poolTotal: poolGauge("db_pool_connections", "Open connections of the database pool", (p) => p.totalCount),
    poolIdle: poolGauge("db_pool_idle_connections", "Idle connections of the database pool", (p) => p.idleCount),
    poolWaiting: poolGauge(
      "db_pool_waiting_requests",
      "Queries waiting for a connection of the database pool",
      (p) => p.waitingCount,
    ),
  };
  // Every series known in advance is shown from the start, at 0: a series that appears only when it first counts
  // is missing from a scrape before it (a dashboard or a before/after comparison finds nothing), and rate() misses
  // its first increase. Job names are known when the scheduler starts (lib/jobs/scheduler.ts).
  for (const kind of EVENT_KINDS) metrics.events.inc({ kind }, 0);
  for (const status of Object.values(ClaimStatus)) metrics.claims.inc({ status }, 0);
  for (const outcome of DELIVERY_OUTCOMES) metrics.webhookDeliveries.inc({ outcome }, 0);
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;

const globalForMetrics = globalThis as typeof globalThis & { __referralEngineMetrics?: Metrics };

export function metrics(): Metrics {
  return (globalForMetrics.__referralEngineMetrics ??= createMetrics());
}

/** Reports a database pool's connection counts under `label` (`primary`, `replica`) until it is replaced. */
export function watchPool(label: string, pool: PoolStats): void {
  metrics().pools.set(label, pool);
}

/** The registry's text exposition and its content type. */
export async function exposition(): Promise<{ body: string; contentType: string }> {
  const { registry } = metrics();
  return { body: await registry.metrics(), contentType: registry.contentType };
}
