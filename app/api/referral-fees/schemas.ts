// Response shapes of the referral-fees routes (seed 004), for the OpenAPI document.
import { z } from "zod";
import { CURRENCIES } from "@/lib/money";

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
  canClaim: z.boolean().openapi({ description: "false within the 7-day cooldown or while a claim is in progress" }),
  nextClaimDate: Iso.nullable(),
  claimInProgress: z.boolean(),
  unpricedCurrencies: z
    .array(z.enum(CURRENCIES))
    .openapi({ description: "Currencies with fees but no rate, left out of totalUsd" }),
});

export const Entries = z.object({
  totalUsd: z.number(),
  currencyBreakdown: z.array(CurrencyBreakdown),
  unpricedCurrencies: z.array(z.enum(CURRENCIES)),
  entries: z.array(
    z.object({
      id: z.string(),
      amountLocal: z.number(),
      currency: z.enum(CURRENCIES),
      transactorUserId: z.string(),
      orderId: z.string(),
      createdAt: Iso,
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
