import { PHASE_PRODUCTION_BUILD } from "next/constants";

/**
 * Starts the background jobs, webhook delivery and the programs' listener (rules served from memory,
 * lib/programs/cache.ts) once per server process (not during `next build`).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === PHASE_PRODUCTION_BUILD) return;
  const { startProgramCache } = await import("./lib/programs/cache");
  startProgramCache();
  const { startBackgroundJobs, startWebhookDelivery } = await import("./lib/jobs/background");
  startBackgroundJobs();
  startWebhookDelivery();
}
