import { route } from "@/lib/api/route";
import { NonceResponse } from "@/lib/auth/schemas";
import { issueNonce } from "@/lib/auth/siwe";
import { enforceClientLimit } from "@/lib/auth/throttle";
import { getPrisma } from "@/lib/db/client";

export const GET = route(
  {
    method: "GET",
    path: "/api/auth/siwe/nonce",
    auth: "none",
    summary: "A single-use nonce for a Sign-In with Ethereum message (sign-in or wallet linking), valid 10 minutes",
    description: "At most 60 a minute per client address (429 with Retry-After).",
    tags: ["Access"],
    response: NonceResponse,
    errors: ["rate_limited"],
    examples: { response: { nonce: "9f2c4e0a7b1d4c3e8a6f5b2d1c0e9f8a" } },
  },
  async ({ request }) => {
    await enforceClientLimit(request.headers, "siwe-nonce");
    return { nonce: await issueNonce(getPrisma()) };
  },
);
