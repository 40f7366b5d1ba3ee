import { route } from "@/lib/api/route";
import { getPrisma } from "@/lib/db/client";
import { TransactionsBody, TransactionsResponse } from "@/lib/fees/schemas";
import { recordTransactions, UnknownTransactor } from "@/lib/fees/transactions";

export const POST = route(
  {
    method: "POST",
    path: "/api/events/transactions",
    auth: "secret",
    summary:
      "Report offramp/pay transactions: 1.5% fee, 0.3% of the amount to the user's referrer (idempotent on orderId)",
    tags: ["Perpetual Earnings"],
    body: TransactionsBody,
    response: TransactionsResponse,
    errors: [new UnknownTransactor("usr_Pq4Wn7Xc2Lk9Mj3Hb5Gv")],
    examples: {
      request: {
        orderId: "ord_123",
        userId: "usr_Pq4Wn7Xc2Lk9Mj3Hb5Gv",
        type: "offramp",
        amount: 50000,
        currency: "KES",
      },
      response: {
        results: [
          {
            orderId: "ord_123",
            currency: "KES",
            fee: 750,
            referrerFee: 150,
            platformFee: 600,
            referrerId: "usr_3kTMd92LxQp0aZr8WvYb",
            duplicate: false,
          },
        ],
      },
    },
  },
  async ({ body }) => ({ results: await recordTransactions(getPrisma(), body.events, { single: body.single }) }),
);
