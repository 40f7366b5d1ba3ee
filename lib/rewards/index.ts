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
export { computeEarnings, DEFAULT_RATE_CARD, type RateCard } from "./rate-card";
export { DIRECT_BONUS, SHARE_PERCENT, USAGE_POINTS, distributeShares, usagePoints } from "./rules";
export { referralStats, type ReferralStats } from "./stats";
