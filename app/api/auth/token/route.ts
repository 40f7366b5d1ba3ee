import { route } from "@/lib/api/route";
import { issueUserToken } from "@/lib/auth/issue";
import { TokenBody, TokenResponse } from "@/lib/auth/schemas";
import { getPrisma } from "@/lib/db/client";

export const POST = route(
  {
    method: "POST",
    path: "/api/auth/token",
    auth: "secret",
    summary: "Mint a short-lived bearer token for an account (operator's backend)",
    tags: ["Access"],
    body: TokenBody,
    response: TokenResponse,
    errors: [404],
  },
  async ({ body }) => {
    const { token, expiresAt } = await issueUserToken(getPrisma(), body.accountId);
    return { token, expiresAt: expiresAt.toISOString() };
  },
);
