import { PHASE_PRODUCTION_BUILD } from "next/constants";

/** Starts the background jobs and webhook delivery once per server process (not during `next build`). */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === PHASE_PRODUCTION_BUILD) return;
  const { startBackgroundJobs, startWebhookDelivery } = await import("./lib/jobs/background");
  startBackgroundJobs();
  startWebhookDelivery();
}
