import { route } from "@/lib/api/route";
import { targetAccount } from "@/lib/auth/caller";
import { getAccountView } from "@/lib/referrals";
import { AccountResponse, accountExample } from "@/lib/referrals/schemas";
import { getPrisma } from "@/lib/db/client";
import { NotFound } from "@/lib/errors";

export const GET = route(
  {
    method: "GET",
    path: "/api/user/me",
    auth: "user",
    summary: "The signed-in account (its id is its referral code)",
    tags: ["Accounts and referrals"],
    response: AccountResponse,
    errors: [new NotFound("Account", "usr_3kTMd92LxQp0aZr8WvYb")],
    examples: { response: accountExample },
  },
  async ({ caller }) => getAccountView(getPrisma(), targetAccount(caller, undefined)),
);
