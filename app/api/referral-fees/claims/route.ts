import { route } from "@/lib/api/route";
import { getPrisma } from "@/lib/db/client";
import { listClaims } from "@/lib/fees/balance";
import { Claims, PageQuery } from "@/lib/fees/schemas";

export const GET = route(
  {
    method: "GET",
    path: "/api/referral-fees/claims",
    auth: "user",
    summary: "Past claims, newest first (paged: ?limit=&cursor=)",
    tags: ["Perpetual Earnings"],
    query: PageQuery,
    response: Claims,
    errors: ["invalid_cursor"],
    examples: {
      response: {
        claims: [
          {
            id: "4c2a9e7b-1d3f-4b5a-8c6e-0f2a4b6c8d0e",
            userId: "usr_3kTMd92LxQp0aZr8WvYb",
            amountKes: 0,
            amountUsd: 1.533,
            exchangeRate: 0,
            transactionHash: "0x5e1f0c3a9b7d2e4f6a8c0b1d3e5f7a9c2b4d6e8f0a1c3e5b7d9f2a4c6e8b9a3c",
            status: "COMPLETED",
            createdAt: "2026-02-22T14:30:00.000Z",
            completedAt: "2026-02-22T14:30:05.000Z",
          },
        ],
        nextCursor: null,
      },
    },
  },
  async ({ caller, query }) => listClaims(getPrisma(), caller.accountId, query),
);
