/**
 * The app server's background jobs: exchange-rate refresh (when FX_SOURCE_URL is set), settling claims left
 * PENDING (when a payout wallet is configured), and ledger compaction. Set JOBS_DISABLED=true to run none (for
 * example on instances that should only serve requests).
 */
import "server-only";
import { getPrisma } from "@/lib/db/client";
import { claimsReconcileIntervalMs, reconcilePendingClaims } from "@/lib/fees/reconcile";
import { fxRefreshIntervalMs, refreshFxRates } from "@/lib/fx/refresh";
import { compactLedger, DEFAULT_RETENTION_DAYS } from "@/lib/rewards/compact";
import { logger, scrub } from "@/lib/observability/log";
import type { Env } from "@/lib/payouts/config";
import { startWebhookDispatcher, type WebhookDispatcher } from "@/lib/webhooks/dispatcher";
import { startScheduler, type Job, type Scheduler } from "./scheduler";

const DAY_MS = 24 * 3600 * 1000;

export function backgroundJobs(env: Env = process.env): Job[] {
  const db = () => getPrisma();
  const jobs: Job[] = [];
  if (env.FX_SOURCE_URL) {
    jobs.push({ name: "fx-refresh", intervalMs: fxRefreshIntervalMs(env), run: () => refreshFxRates(db()) });
  }
  if (env.PAYOUT_PRIVATE_KEY) {
    jobs.push({
      name: "claims-reconcile",
      intervalMs: claimsReconcileIntervalMs(env),
      run: () => reconcilePendingClaims(db()),
    });
  }
  const retentionDays = Number(env.LEDGER_RETENTION_DAYS ?? DEFAULT_RETENTION_DAYS);
  jobs.push({
    name: "ledger-compact",
    intervalMs: DAY_MS,
    run: () => compactLedger(db(), { olderThanDays: retentionDays }),
  });
  return jobs;
}

export function startBackgroundJobs(env: Env = process.env): Scheduler | null {
  if (env.JOBS_DISABLED === "true" || !env.DATABASE_URL) return null;
  return startScheduler(env.DATABASE_URL, backgroundJobs(env), (line) =>
    logger().info({ component: "jobs" }, scrub(line)),
  );
}

/**
 * Webhook delivery runs on every instance whatever JOBS_DISABLED says: it is not a once-per-interval job but a
 * share of the delivery work (lib/webhooks/dispatcher.ts). WEBHOOKS_DISABLED=true turns it off on an instance.
 */
export function startWebhookDelivery(env: Env = process.env): WebhookDispatcher | null {
  if (env.WEBHOOKS_DISABLED === "true" || !env.DATABASE_URL) return null;
  return startWebhookDispatcher(getPrisma(), env);
}
