import { route } from "@/lib/api/route";
import { getPrisma } from "@/lib/db/client";
import { getReferralFeeBalance } from "@/lib/fees/balance";
import { Balance, balanceExample } from "@/lib/fees/schemas";

export const GET = route(
  {
    method: "GET",
    path: "/api/referral-fees/balance",
    auth: "user",
    summary: "Unclaimed referral fees in USD with a per-currency breakdown, and whether a claim is possible now",
    tags: ["Perpetual Earnings"],
    response: Balance,
    examples: { response: balanceExample },
  },
  async ({ caller }) => getReferralFeeBalance(getPrisma(), caller.accountId),
);
