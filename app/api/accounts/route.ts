import { route, Reply } from "@/lib/api/route";
import { getPrisma } from "@/lib/db/client";
import { createAccount } from "@/lib/referrals";
import { AccountResponse, CreateAccountBody } from "@/lib/referrals/schemas";

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
    errors: [404, 409],
  },
  async ({ body }) => {
    const { account, created } = await createAccount(getPrisma(), body);
    return new Reply(created ? 201 : 200, account);
  },
);
