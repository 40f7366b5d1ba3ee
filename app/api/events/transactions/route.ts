import { route } from "@/lib/api/route";
import { getPrisma } from "@/lib/db/client";
import { TransactionsBody, TransactionsResponse } from "@/lib/fees/schemas";
import { recordTransactions } from "@/lib/fees/transactions";

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
    errors: [404],
  },
  async ({ body }) => ({ results: await recordTransactions(getPrisma(), body.events, { single: body.single }) }),
);
