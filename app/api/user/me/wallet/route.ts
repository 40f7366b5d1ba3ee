import { route } from "@/lib/api/route";
import { WalletBody, WalletResponse } from "@/lib/auth/schemas";
import { changeWallet } from "@/lib/auth/wallet";
import { getPrisma } from "@/lib/db/client";

export const PUT = route(
  {
    method: "PUT",
    path: "/api/user/me/wallet",
    auth: "user",
    summary: "Link a Base wallet to the caller's account, or replace the linked one with its approval",
    description:
      "The new wallet proves itself with a Sign-In with Ethereum message (`message`, `signature`). Replacing a linked wallet also needs `currentMessage` and `currentSignature` signed by the wallet linked now (403 otherwise, nothing changed); claims then wait WALLET_CHANGE_HOLD_HOURS.",
    tags: ["Access"],
    body: WalletBody,
    response: WalletResponse,
    errors: [409, 503],
  },
  async ({ caller, body }) => changeWallet(getPrisma(), caller.accountId, body),
);
