/** The webhook event types (docs/webhooks.md), apart from the outbox so that browser code may list them too. */
export const WEBHOOK_EVENT_TYPES = [
  "account.created",
  "referral.applied",
  "fee.accrued",
  "claim.completed",
  "claim.failed",
  "reversal.created",
  "adjustment.created",
  "account.frozen",
] as const;
