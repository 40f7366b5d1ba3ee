/**
 * Request and response shapes of the Perpetual Earnings routes (docs/perpetual-earnings.md): transactions,
 * balance, entries, claim and claims. They validate input, document the API, and give the browser its types.
 */
import { exactAmount } from "@/lib/api/exact-amount";
import { oneOrBatch } from "@/lib/api/one-or-batch";
import { z } from "@/lib/api/openapi";
import { CURRENCIES } from "@/lib/money";
import { MAX_BATCH } from "./transactions";
import { parseTransactionAmount } from "./rules";

const Amount = exactAmount(parseTransactionAmount, {
  description:
    'Positive; a JSON number with at most 15 significant digits, or a decimal string ("1500.25"); at most 15 decimal places; below 10^20',
  example: 50000,
});

export const TransactionEvent = z.object({
  orderId: z.string().min(1).max(200),
  userId: z.string().min(1).max(64),
  type: z.enum(["offramp", "pay"]),
  amount: Amount,
  currency: z.enum(CURRENCIES),
});

const TransactionResult = z.object({
  orderId: z.string(),
  currency: z.enum(CURRENCIES),
  fee: z.number(),
  referrerFee: z.number(),
  platformFee: z.number(),
  referrerId: z.string().nullable(),
  duplicate: z.boolean(),
});

export const TransactionsBody = oneOrBatch(TransactionEvent, MAX_BATCH);
export const TransactionsResponse = z.object({ results: z.array(TransactionResult) });

const Iso = z.string().openapi({ format: "date-time" });

export const CurrencyBreakdown = z.object({
  currency: z.enum(CURRENCIES),
  amount: z.number(),
  amountUsd: z.number().openapi({ description: "Exact; 0 for a currency without an exchange rate" }),
});

export const Balance = z.object({
  totalUsd: z.number(),
  currencyBreakdown: z.array(CurrencyBreakdown),
  entryCount: z.number().int(),
  canClaim: z.boolean().openapi({
    description: "false within the 7-day cooldown, while a claim is in progress, during a wallet hold, or while frozen",
  }),
  frozen: z.boolean().openapi({ description: "The operator froze the account's claims; it keeps earning" }),
  nextClaimDate: Iso.nullable(),
  claimInProgress: z.boolean(),
  walletHoldUntil: Iso.nullable().openapi({
    description: "After a wallet replacement, when claims resume (WALLET_CHANGE_HOLD_HOURS); null when no hold",
  }),
  unpricedCurrencies: z
    .array(z.enum(CURRENCIES))
    .openapi({ description: "Currencies with fees but no rate, left out of totalUsd" }),
  pendingUsd: z.number().openapi({ description: "Entries still on hold (holdDays), not yet claimable" }),
  pendingBreakdown: z.array(CurrencyBreakdown),
});

/** The seed's example as the balance shows it: 150 KES + 600 NGN unclaimed, $1.533, claimable (docs/api.md). */
export const balanceExample = {
  totalUsd: 1.533,
  currencyBreakdown: [
    { currency: "KES", amount: 150, amountUsd: 1.155 },
    { currency: "NGN", amount: 600, amountUsd: 0.378 },
  ],
  entryCount: 2,
  canClaim: true,
  nextClaimDate: null,
  claimInProgress: false,
  walletHoldUntil: null,
  unpricedCurrencies: [],
  pendingUsd: 0,
  pendingBreakdown: [],
  frozen: false,
} satisfies z.input<typeof Balance>;

export const Entries = z.object({
  totalUsd: z.number(),
  currencyBreakdown: z.array(CurrencyBreakdown),
  unpricedCurrencies: z.array(z.enum(CURRENCIES)),
  entries: z.array(
    z.object({
      id: z.string(),
      amountLocal: z.number(),
      currency: z.enum(CURRENCIES),
      transactorUserId: z.string().nullable().openapi({ description: "null for an adjustment" }),
      orderId: z.string().openapi({ description: "The transaction's orderId, or `adjustment:<adjustmentId>`" }),
      createdAt: Iso,
      availableAt: Iso.openapi({ description: "When it becomes claimable: createdAt + holdDays, fixed when recorded" }),
      kind: z.enum(["fee", "clawback", "adjustment"]).openapi({
        description:
          "fee: 0.3 % of a transaction; clawback: the negation of a claimed fee whose transaction was reversed; adjustment: an operator's correction",
      }),
    }),
  ),
  nextCursor: z
    .string()
    .nullable()
    .openapi({ description: "Pass as ?cursor= for the next (older) page; null on the last" }),
});

export const Status = z.enum(["PENDING", "COMPLETED", "FAILED"]);

export const ClaimResponse = z.object({
  id: z.string(),
  amountUsd: z.number(),
  transactionHash: z.string().nullable().openapi({ description: "null when the transfer failed" }),
  status: Status,
});

export const Claims = z.object({
  claims: z.array(
    z.object({
      id: z.string(),
      userId: z.string(),
      amountKes: z.literal(0),
      amountUsd: z.number(),
      exchangeRate: z.literal(0),
      transactionHash: z.string().nullable(),
      status: Status,
      createdAt: Iso,
      completedAt: Iso.nullable(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

export const PageQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).optional().openapi({ description: "Page size, 100 by default" }),
    cursor: z.string().min(1).max(200).optional(),
  })
  .strict();
