import { z } from "zod";
import { oneOrBatch } from "@/lib/api/one-or-batch";
import { route } from "@/lib/api/route";
import { getPrisma } from "@/lib/db/client";
import { parseTransactionAmount } from "@/lib/fees/rules";
import { MAX_BATCH, recordTransactions } from "@/lib/fees/transactions";
import { CURRENCIES, type Decimal } from "@/lib/money";

const Amount = z
  .union([z.number(), z.string()])
  .transform((value, ctx): Decimal => {
    const parsed = parseTransactionAmount(value);
    if ("amount" in parsed) return parsed.amount;
    ctx.addIssue({ code: "custom", message: parsed.error });
    return z.NEVER;
  })
  .openapi({
    description:
      'Positive; a JSON number with at most 15 significant digits, or a decimal string ("1500.25"); at most 15 decimal places; below 10^20',
    example: 50000,
  });

const TransactionEvent = z.object({
  orderId: z.string().min(1).max(200),
  userId: z.string().min(1).max(64),
  type: z.enum(["offramp", "pay"]),
  amount: Amount,
  currency: z.enum(CURRENCIES),
});

const Result = z.object({
  orderId: z.string(),
  currency: z.enum(CURRENCIES),
  fee: z.number(),
  referrerFee: z.number(),
  platformFee: z.number(),
  referrerId: z.string().nullable(),
  duplicate: z.boolean(),
});

export const POST = route(
  {
    method: "POST",
    path: "/api/events/transactions",
    auth: "secret",
    summary:
      "Report offramp/pay transactions: 1.5% fee, 0.3% of the amount to the user's referrer (idempotent on orderId)",
    tags: ["Perpetual Earnings"],
    body: oneOrBatch(TransactionEvent, MAX_BATCH),
    response: z.object({ results: z.array(Result) }),
    errors: [404],
  },
  async ({ body }) => ({ results: await recordTransactions(getPrisma(), body.events, { single: body.single }) }),
);
