import { route } from "@/lib/api/route";
import { getPrisma } from "@/lib/db/client";
import { claimReferralFees } from "@/lib/fees/claims";
import { ClaimResponse } from "@/lib/fees/schemas";

export const POST = route(
  {
    method: "POST",
    path: "/api/referral-fees/claim",
    auth: "user",
    summary: "Claim all unclaimed referral fees as one USDC transfer to the linked Base wallet (once per 7 days)",
    description:
      "200 with status COMPLETED (receipt success), FAILED (transfer failed: transactionHash null, fees stay claimable) or " +
      "PENDING (no receipt yet: settled later by the reconciler). Refusals record nothing: 400 cooldown, nothing to claim, " +
      "no wallet, below minimum; 409 a claim in progress; 503 stale exchange rate, payouts paused or not configured.",
    tags: ["Perpetual Earnings"],
    response: ClaimResponse,
    errors: [400, 409, 503],
  },
  async ({ caller }) => claimReferralFees(getPrisma(), caller.accountId),
);
