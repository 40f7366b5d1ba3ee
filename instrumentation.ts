import { PHASE_PRODUCTION_BUILD } from "next/constants";

/** Starts the background jobs once per server process (not during `next build`). */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === PHASE_PRODUCTION_BUILD) return;
  const { startBackgroundJobs } = await import("./lib/jobs/background");
  startBackgroundJobs();
}
