import { route } from "@/lib/api/route";
import { getPrisma } from "@/lib/db/client";
import { listReferralFeeEntries } from "@/lib/fees/balance";
import { Entries, PageQuery, balanceExample } from "@/lib/fees/schemas";

export const GET = route(
  {
    method: "GET",
    path: "/api/referral-fees/entries",
    auth: "user",
    summary: "Unclaimed fee entries, newest first (paged: ?limit=&cursor=)",
    tags: ["Perpetual Earnings"],
    query: PageQuery,
    response: Entries,
    errors: ["invalid_cursor"],
    examples: {
      response: {
        totalUsd: balanceExample.totalUsd,
        currencyBreakdown: balanceExample.currencyBreakdown,
        unpricedCurrencies: [],
        entries: [
          {
            id: "0b8e6f2a-3c1d-4e5f-9a7b-2c4d6e8f0a1b",
            amountLocal: 600,
            currency: "NGN",
            transactorUserId: "usr_Pq4Wn7Xc2Lk9Mj3Hb5Gv",
            orderId: "ord_124",
            createdAt: "2026-02-22T10:15:00.000Z",
            kind: "fee",
            availableAt: "2026-02-22T10:15:00.000Z",
          },
          {
            id: "6d1f4a9c-8b2e-4f3a-b5c7-9e0d1a2b3c4d",
            amountLocal: 150,
            currency: "KES",
            transactorUserId: "usr_Pq4Wn7Xc2Lk9Mj3Hb5Gv",
            orderId: "ord_123",
            createdAt: "2026-02-21T16:45:00.000Z",
            kind: "fee",
            availableAt: "2026-02-21T16:45:00.000Z",
          },
        ],
        nextCursor: null,
      },
    },
  },
  async ({ caller, query }) => listReferralFeeEntries(getPrisma(), caller.accountId, query),
);
