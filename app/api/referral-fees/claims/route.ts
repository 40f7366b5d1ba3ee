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
  },
  async ({ caller, query }) => listClaims(getPrisma(), caller.accountId, query),
);
