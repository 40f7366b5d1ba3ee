import { route } from "@/lib/api/route";
import { assertMayActOn } from "@/lib/auth/caller";
import { referralStats } from "@/lib/rewards";
import { ProviderStatsParams, ReferralStatsResponse, referralStatsExample } from "@/lib/rewards/schemas";
import { getReadPrisma } from "@/lib/db/client";
import { UnknownEarner } from "@/lib/rewards/events";

export const GET = route(
  {
    method: "GET",
    path: "/api/providers/{providerId}/referral-stats",
    auth: "account",
    summary: "A provider's referral network, earnings breakdown, 30-day history and metrics",
    tags: ["Accounts and referrals"],
    params: ProviderStatsParams,
    response: ReferralStatsResponse,
    errors: [new UnknownEarner(true, "provider", "providerId", "prov_7Yh3Nc0Qa6Rb2Tm9Wk4Lp")],
    examples: { response: referralStatsExample("provider") },
  },
  async ({ caller, params }) => {
    assertMayActOn(caller, params.providerId);
    return referralStats(getReadPrisma(), params.providerId, "PROVIDER");
  },
);
