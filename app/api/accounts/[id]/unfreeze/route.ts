import { route } from "@/lib/api/route";
import { keyActor } from "@/lib/audit/log";
import { getPrisma } from "@/lib/db/client";
import { AccountResponse, accountExample } from "@/lib/referrals/schemas";
import { unfreezeAccount } from "@/lib/risk/freeze";
import { AccountIdParams } from "@/lib/risk/schemas";

export const POST = route(
  {
    method: "POST",
    path: "/api/accounts/{id}/unfreeze",
    auth: "secret",
    summary: "Allow a frozen account's claims again; audited",
    description: "Recorded as `account.unfrozen`. Unfreezing an account that is not frozen changes nothing.",
    tags: ["Money operations"],
    params: AccountIdParams,
    response: AccountResponse,
    errors: ["not_found"],
    examples: { response: accountExample },
  },
  async ({ caller, params }) => unfreezeAccount(getPrisma(), { accountId: params.id, actor: keyActor(caller) }),
);
