import { route } from "@/lib/api/route";
import { targetAccount } from "@/lib/auth/caller";
import { applyReferral } from "@/lib/referrals";
import { ApplyReferralBody, ApplyReferralResponse } from "@/lib/referrals/schemas";
import { getPrisma } from "@/lib/db/client";

export const POST = route(
  {
    method: "POST",
    path: "/api/referrals/apply",
    auth: "account",
    summary: "Apply a referral code (once, permanently); the referrer receives its direct bonus",
    description:
      "A user applies a code to itself; the operator names the account with `accountId`. 400 `Already referred`, `Cannot use your own referral code`, `Referral would create a loop`, `Referral kind mismatch`; 404 `Referral code not found`.",
    tags: ["Accounts and referrals"],
    body: ApplyReferralBody,
    response: ApplyReferralResponse,
    errors: [404],
  },
  async ({ caller, body }) => applyReferral(getPrisma(), targetAccount(caller, body.accountId), body.code),
);
