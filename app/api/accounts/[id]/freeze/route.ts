import { route } from "@/lib/api/route";
import { keyActor } from "@/lib/audit/log";
import { getPrisma } from "@/lib/db/client";
import { AccountResponse, accountExample } from "@/lib/referrals/schemas";
import { freezeAccount } from "@/lib/risk/freeze";
import { AccountIdParams, FreezeBody } from "@/lib/risk/schemas";

export const POST = route(
  {
    method: "POST",
    path: "/api/accounts/{id}/freeze",
    auth: "secret",
    summary: "Freeze an account's claims (it keeps earning); audited",
    description:
      "Recorded as `account.frozen` (and the `account.frozen` webhook event) in the same transaction. Its claims answer 403 `Account frozen` until it is unfrozen; a claim opened but not yet signed fails and releases its entries.",
    tags: ["Money operations"],
    params: AccountIdParams,
    body: FreezeBody,
    response: AccountResponse,
    errors: ["not_found"],
    examples: {
      request: { reason: "Chargebacks under review" },
      response: { ...accountExample, frozen: true, frozenReason: "Chargebacks under review" },
    },
  },
  async ({ caller, params, body }) =>
    freezeAccount(getPrisma(), { accountId: params.id, reason: body.reason, actor: keyActor(caller) }),
);
