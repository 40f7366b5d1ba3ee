/**
 * Request and response shapes of the money operations (docs/corrections.md): reversals and adjustments.
 */
import { exactAmount } from "@/lib/api/exact-amount";
import { oneOrBatch } from "@/lib/api/one-or-batch";
import { z } from "@/lib/api/openapi";
import { CURRENCIES } from "@/lib/money";
import { parseAdjustmentAmount } from "./amounts";

export const MAX_REVERSALS = 1000;

const Id = z.string().min(1).max(200);
const Reason = z
  .string()
  .max(1000)
  .refine((text) => text.trim().length > 0, { message: "must not be empty" });

export const ReversalItem = z.object({
  reversalId: Id.openapi({ description: "Your id for this reversal; sending it again changes nothing" }),
  source: z.enum(["usage", "compute", "transaction"]),
  sourceId: Id.openapi({ description: "The event's requestId (usage), eventId (compute) or orderId (transaction)" }),
  reason: Reason.optional(),
});

export const ReversalsBody = oneOrBatch(ReversalItem, MAX_REVERSALS, "reversals");

const ReversalResult = z.object({
  reversalId: z.string(),
  source: z.enum(["usage", "compute", "transaction"]),
  sourceId: z.string(),
  entries: z.array(
    z.object({
      accountId: z.string(),
      unit: z.enum(["POINTS", ...CURRENCIES]),
      amount: z.number().openapi({ description: "Negative: what was taken back, exact" }),
    }),
  ),
  duplicate: z.boolean(),
});

export const ReversalsResponse = z.object({ results: z.array(ReversalResult) });

const Amount = exactAmount(parseAdjustmentAmount, {
  description:
    'Non-zero, either sign; a JSON number with at most 15 significant digits, or a decimal string ("-12.5"); at most 15 decimal places; below 10^20 in size',
  example: 150,
});

export const AdjustmentBody = z.object({
  adjustmentId: Id.openapi({ description: "Your id for this adjustment; sending it again changes nothing" }),
  accountId: z.string().min(1).max(64),
  unit: z.enum(["POINTS", ...CURRENCIES]),
  amount: Amount,
  reason: Reason,
});

export const AdjustmentResponse = z.object({
  id: z.string(),
  adjustmentId: z.string(),
  accountId: z.string(),
  unit: z.enum(["POINTS", ...CURRENCIES]),
  amount: z.number(),
  reason: z.string(),
  createdAt: z.string().openapi({ format: "date-time" }),
});
