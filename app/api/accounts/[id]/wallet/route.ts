import { route } from "@/lib/api/route";
import { AccountWalletBody, AccountWalletParams } from "@/lib/auth/schemas";
import { replaceWalletByOperator } from "@/lib/auth/wallet";
import { getPrisma } from "@/lib/db/client";
import { AccountResponse, accountExample } from "@/lib/referrals/schemas";

export const PUT = route(
  {
    method: "PUT",
    path: "/api/accounts/{id}/wallet",
    auth: "secret",
    summary: "Replace an account's payout wallet (for an owner who lost theirs); audited, claims then wait",
    description:
      "Recorded in the audit log as `account.wallet_replaced`. Replacing a linked wallet holds claims for WALLET_CHANGE_HOLD_HOURS; setting the first wallet does not.",
    tags: ["Accounts and referrals"],
    params: AccountWalletParams,
    body: AccountWalletBody,
    response: AccountResponse,
    errors: ["invalid_wallet_address", "not_found", "wallet_taken"],
    examples: {
      request: { address: "0x90F79bf6EB2c4f870365E785982E1f101E93b906" },
      response: { ...accountExample, walletAddress: "0x90f79bf6eb2c4f870365e785982e1f101e93b906" },
    },
  },
  async ({ caller, params, body }) => replaceWalletByOperator(getPrisma(), caller, params.id, body.address),
);
