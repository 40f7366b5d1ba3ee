import { route } from "@/lib/api/route";
import { getPrisma } from "@/lib/db/client";
import { getReferralFeeBalance } from "@/lib/fees/balance";
import { Balance } from "@/lib/fees/schemas";

export const GET = route(
  {
    method: "GET",
    path: "/api/referral-fees/balance",
    auth: "user",
    summary: "Unclaimed referral fees in USD with a per-currency breakdown, and whether a claim is possible now",
    tags: ["Perpetual Earnings"],
    response: Balance,
    examples: {
      response: {
        totalUsd: 1.533,
        currencyBreakdown: [
          { currency: "KES", amount: 150, amountUsd: 1.155 },
          { currency: "NGN", amount: 600, amountUsd: 0.378 },
        ],
        entryCount: 2,
        canClaim: true,
        nextClaimDate: null,
        claimInProgress: false,
        walletHoldUntil: null,
        unpricedCurrencies: [],
        pendingUsd: 0,
        pendingBreakdown: [],
        frozen: false,
      },
    },
  },
  async ({ caller }) => getReferralFeeBalance(getPrisma(), caller.accountId),
);
