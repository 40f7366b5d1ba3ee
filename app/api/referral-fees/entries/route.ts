import { route } from "@/lib/api/route";
import { getPrisma } from "@/lib/db/client";
import { listReferralFeeEntries } from "@/lib/fees/balance";
import { Entries, PageQuery } from "@/lib/fees/schemas";

export const GET = route(
  {
    method: "GET",
    path: "/api/referral-fees/entries",
    auth: "user",
    summary: "Unclaimed fee entries, newest first (paged: ?limit=&cursor=)",
    tags: ["Perpetual Earnings"],
    query: PageQuery,
    response: Entries,
  },
  async ({ caller, query }) => listReferralFeeEntries(getPrisma(), caller.accountId, query),
);
