import { route } from "@/lib/api/route";
import { assertMayActOn } from "@/lib/auth/caller";
import { referralStats } from "@/lib/rewards";
import { UserStatsParams, ReferralStatsResponse, referralStatsExample } from "@/lib/rewards/schemas";
import { getReadPrisma } from "@/lib/db/client";
import { UnknownEarner } from "@/lib/rewards/events";

export const GET = route(
  {
    method: "GET",
    path: "/api/user/{userId}/referral-stats",
    auth: "account",
    summary: "A user's referral network, earnings breakdown, 30-day history and metrics",
    tags: ["Accounts and referrals"],
    params: UserStatsParams,
    response: ReferralStatsResponse,
    errors: [new UnknownEarner(true, "user", "userId", "usr_3kTMd92LxQp0aZr8WvYb")],
    examples: { response: referralStatsExample("user") },
  },
  async ({ caller, params }) => {
    assertMayActOn(caller, params.userId);
    return referralStats(getReadPrisma(), params.userId, "USER");
  },
);
