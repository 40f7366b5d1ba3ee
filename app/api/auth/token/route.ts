import { z } from "zod";
import { route } from "@/lib/api/route";
import { issueUserToken } from "@/lib/auth/issue";
import { getPrisma } from "@/lib/db/client";

export const POST = route(
  {
    method: "POST",
    path: "/api/auth/token",
    auth: "secret",
    summary: "Mint a short-lived bearer token for an account (operator's backend)",
    tags: ["Access"],
    body: z.object({ accountId: z.string().min(1).max(64) }),
    response: z.object({ token: z.string(), expiresAt: z.string().openapi({ format: "date-time" }) }),
    errors: [404],
  },
  async ({ body }) => {
    const { token, expiresAt } = await issueUserToken(getPrisma(), body.accountId);
    return { token, expiresAt: expiresAt.toISOString() };
  },
);
