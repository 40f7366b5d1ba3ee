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
    errors: ["invalid_siwe", "current_wallet_approval_required", "wallet_taken", "siwe_unavailable"],
    examples: {
      request: {
        address: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
        message:
          "app.example.com wants you to sign in with your Ethereum account:\n0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC\n\nLink this wallet\n\nURI: https://app.example.com\nVersion: 1\nChain ID: 8453\nNonce: 9f2c4e0a7b1d4c3e8a6f5b2d1c0e9f8a\nIssued At: 2026-02-22T10:15:00.000Z",
        signature:
          "0x6a1f3c5e7b9d2f4a6c8e0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a3c5e7b9d2f4a6c8e0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1b",
      },
      response: { walletAddress: "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc" },
    },
  },
  async ({ caller, body }) => changeWallet(getPrisma(), caller.accountId, body),
);
