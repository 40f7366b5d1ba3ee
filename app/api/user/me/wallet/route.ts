import { route } from "@/lib/api/route";
import { WalletBody, WalletResponse } from "@/lib/auth/schemas";
import { linkWallet } from "@/lib/auth/signin";
import { InvalidSiwe, requestHost, verifySiwe } from "@/lib/auth/siwe";
import { getPrisma } from "@/lib/db/client";

export const PUT = route(
  {
    method: "PUT",
    path: "/api/user/me/wallet",
    auth: "user",
    summary: "Link a Base wallet to the caller's account with a Sign-In with Ethereum proof signed by that wallet",
    tags: ["Access"],
    body: WalletBody,
    response: WalletResponse,
    errors: [409],
  },
  async ({ request, caller, body }) => {
    const signer = await verifySiwe(
      getPrisma(),
      { message: body.message, signature: body.signature },
      requestHost(request),
    );
    if (signer !== body.address.toLowerCase()) throw new InvalidSiwe("The message was signed for another address");
    await linkWallet(getPrisma(), caller.accountId, signer);
    return { walletAddress: signer };
  },
);
