import { route } from "@/lib/api/route";
import { getPrisma } from "@/lib/db/client";
import { AccountFrozen } from "@/lib/risk/freeze";
import {
  claimReferralFees,
  BelowMinimumClaim,
  ClaimInProgress,
  CooldownActive,
  NothingToClaim,
  NoWalletLinked,
  PayoutsPaused,
  RatesUnavailable,
} from "@/lib/fees/claims";
import { ClaimResponse } from "@/lib/fees/schemas";
import { WalletRecentlyChanged } from "@/lib/fees/wallet-hold";
import { PayoutsUnavailable } from "@/lib/payouts/config";
import { dec } from "@/lib/money";

export const POST = route(
  {
    method: "POST",
    path: "/api/referral-fees/claim",
    auth: "user",
    summary:
      "Claim all unclaimed referral fees as one USDC transfer to the linked Base wallet (once per cooldown period)",
    description:
      "At most once per cooldown period: the perpetual program's cooldownDays (7 days by default; GET /api/programs), " +
      "counted from the last COMPLETED claim. 200 with status COMPLETED (receipt success), FAILED (transfer failed: " +
      "transactionHash null, fees stay claimable) or PENDING (no receipt yet: settled later by the reconciler). " +
      "Refusals record nothing: 400 cooldown, nothing to claim, no wallet, wallet recently changed, below minimum; 403 the " +
      "account is frozen; 409 a claim in progress; 503 stale exchange rate, payouts paused or not configured.",
    tags: ["Perpetual Earnings"],
    response: ClaimResponse,
    errors: [
      new PayoutsPaused(),
      new PayoutsUnavailable("No payout wallet is configured (PAYOUT_PRIVATE_KEY)"),
      new AccountFrozen(),
      new WalletRecentlyChanged(new Date("2026-03-03T09:00:00.000Z")),
      new ClaimInProgress("0b6f3c1e-52a4-4d4e-9a57-1f0c2b8e7d11"),
      new CooldownActive(new Date("2026-03-01T14:30:00.000Z"), 7),
      new NothingToClaim(),
      new NoWalletLinked(),
      new RatesUnavailable(["KES"], 86400),
      new BelowMinimumClaim(dec("0.0000004"), dec("0.000001")),
    ],
    examples: {
      response: {
        id: "4c2a9e7b-1d3f-4b5a-8c6e-0f2a4b6c8d0e",
        amountUsd: 1.533,
        transactionHash: "0x5e1f0c3a9b7d2e4f6a8c0b1d3e5f7a9c2b4d6e8f0a1c3e5b7d9f2a4c6e8b9a3c",
        status: "COMPLETED",
      },
    },
  },
  async ({ caller }) => claimReferralFees(getPrisma(), caller.accountId),
);
