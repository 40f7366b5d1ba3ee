import { z } from "zod";
import { route } from "@/lib/api/route";
import { assertMayActOn } from "@/lib/auth/caller";
import { referralStats } from "@/lib/rewards";
import { ReferralStatsResponse } from "@/lib/rewards/schemas";
import { getPrisma } from "@/lib/db/client";

export const GET = route(
  {
    method: "GET",
    path: "/api/providers/{providerId}/referral-stats",
    auth: "account",
    summary: "A provider's referral network, earnings breakdown, 30-day history and metrics",
    tags: ["Accounts and referrals"],
    params: z.object({ providerId: z.string().min(1).max(64) }),
    response: ReferralStatsResponse,
    errors: [404],
  },
  async ({ caller, params }) => {
    assertMayActOn(caller, params.providerId);
    return referralStats(getPrisma(), params.providerId, "PROVIDER");
  },
);
