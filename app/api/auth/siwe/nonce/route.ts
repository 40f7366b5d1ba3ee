import { route } from "@/lib/api/route";
import { NonceResponse } from "@/lib/auth/schemas";
import { issueNonce } from "@/lib/auth/siwe";
import { getPrisma } from "@/lib/db/client";

export const GET = route(
  {
    method: "GET",
    path: "/api/auth/siwe/nonce",
    auth: "none",
    summary: "A single-use nonce for a Sign-In with Ethereum message (sign-in or wallet linking), valid 10 minutes",
    tags: ["Access"],
    response: NonceResponse,
  },
  async () => ({ nonce: await issueNonce(getPrisma()) }),
);
