// Rewards: points and earnings rules, multi-level distribution, the ledger, stats, compaction and its check.
export { checkRewardsConservation } from "./check";
export { compactLedger, DEFAULT_RETENTION_DAYS, type CompactionOptions, type CompactionResult } from "./compact";
export {
  recordComputeEvents,
  recordUsageEvents,
  MAX_BATCH,
  UnknownEarner,
  type ComputeEvent,
  type ComputeResult,
  type UsageEvent,
  type UsageResult,
} from "./events";
export { computeEarnings, type RateCard } from "./rate-card";
export { directBonus, distributeShares, usagePoints } from "./rules";
export { referralStats, type ReferralStats } from "./stats";
