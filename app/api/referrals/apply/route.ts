import { route } from "@/lib/api/route";
import { targetAccount } from "@/lib/auth/caller";
import { applyReferral } from "@/lib/referrals";
import { ApplyReferralBody, ApplyReferralResponse } from "@/lib/referrals/schemas";
import { getPrisma } from "@/lib/db/client";
import { NotFound } from "@/lib/errors";
import {
  AlreadyReferred,
  KindMismatch,
  ReferralCycle,
  SelfReferral,
  UnknownReferralCode,
} from "@/lib/referrals/errors";

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
    errors: [
      new NotFound("Account", "usr_3kTMd92LxQp0aZr8WvYb"),
      new SelfReferral(),
      new UnknownReferralCode("usr_Hq8Zc1Vb0Ne4Rt6Yu2Io"),
      new AlreadyReferred(),
      new KindMismatch(),
      new ReferralCycle("usr_Hq8Zc1Vb0Ne4Rt6Yu2Io"),
    ],
    examples: {
      request: { code: "usr_Hq8Zc1Vb0Ne4Rt6Yu2Io" },
      response: {
        referredBy: "usr_Hq8Zc1Vb0Ne4Rt6Yu2Io",
        directBonus: { accountId: "usr_Hq8Zc1Vb0Ne4Rt6Yu2Io", points: 25 },
      },
    },
  },
  async ({ caller, body }) => applyReferral(getPrisma(), targetAccount(caller, body.accountId), body.code),
);
