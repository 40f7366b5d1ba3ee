import { route } from "@/lib/api/route";
import { issueUserToken } from "@/lib/auth/issue";
import { TokenBody, TokenResponse } from "@/lib/auth/schemas";
import { getPrisma } from "@/lib/db/client";
import { NotFound } from "@/lib/errors";

export const POST = route(
  {
    method: "POST",
    path: "/api/auth/token",
    auth: "secret",
    summary: "Mint a short-lived bearer token for an account (operator's backend)",
    tags: ["Access"],
    body: TokenBody,
    response: TokenResponse,
    errors: [new NotFound("Account", "usr_3kTMd92LxQp0aZr8WvYb")],
    examples: {
      request: { accountId: "usr_3kTMd92LxQp0aZr8WvYb" },
      response: {
        token: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c3JfM2tUTWQ5MkxYUXAwYVpyOFd2WWIifQ.c2lnbmF0dXJl",
        expiresAt: "2026-02-22T11:15:00.000Z",
      },
    },
  },
  async ({ body }) => {
    const { token, expiresAt } = await issueUserToken(getPrisma(), body.accountId);
    return { token, expiresAt: expiresAt.toISOString() };
  },
);
