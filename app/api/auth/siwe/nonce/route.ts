import { z } from "zod";
import { route } from "@/lib/api/route";
import { issueNonce } from "@/lib/auth/siwe";
import { getPrisma } from "@/lib/db/client";

export const GET = route(
  {
    method: "GET",
    path: "/api/auth/siwe/nonce",
    auth: "none",
    summary: "A single-use nonce for a Sign-In with Ethereum message (sign-in or wallet linking), valid 10 minutes",
    tags: ["Access"],
    response: z.object({ nonce: z.string() }),
  },
  async () => ({ nonce: await issueNonce(getPrisma()) }),
);
