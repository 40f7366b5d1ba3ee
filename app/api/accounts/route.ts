import { route, Reply } from "@/lib/api/route";
import { getPrisma } from "@/lib/db/client";
import { createAccount } from "@/lib/referrals";
import { AccountResponse, CreateAccountBody, accountExample } from "@/lib/referrals/schemas";
import { AccountConflict, KindMismatch, UnknownReferralCode } from "@/lib/referrals/errors";

export const POST = route(
  {
    method: "POST",
    path: "/api/accounts",
    auth: "secret",
    summary:
      "Create a user or provider account (idempotent on externalId; `referrer` applies a referral code at sign-up)",
    description:
      "201 with the new account; 200 with the existing one when the externalId was already used. A `referrer` is refused like POST /api/referrals/apply (400 kind mismatch, 404 unknown code) and then nothing is created.",
    tags: ["Accounts and referrals"],
    body: CreateAccountBody,
    status: 201,
    response: AccountResponse,
    errors: [
      "invalid_wallet_address",
      new KindMismatch(),
      new UnknownReferralCode("usr_Hq8Zc1Vb0Ne4Rt6Yu2Io"),
      new AccountConflict("This email already belongs to another account"),
    ],
    examples: {
      request: {
        kind: "user",
        referrer: "usr_Hq8Zc1Vb0Ne4Rt6Yu2Io",
        walletAddress: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
        email: "ada@example.com",
        externalId: "crm-4711",
      },
      response: accountExample,
    },
  },
  async ({ body }) => {
    const { account, created } = await createAccount(getPrisma(), body);
    return new Reply(created ? 201 : 200, account);
  },
);
