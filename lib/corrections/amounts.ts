/**
 * What an adjustment's amount may be: the same exactness rules as a transaction amount (lib/fees/rules.ts), but
 * either sign and never zero. Pure: no database.
 */
import { parseTransactionAmount } from "@/lib/fees/rules";
import type { Decimal } from "@/lib/money";

export function parseAdjustmentAmount(value: unknown): { amount: Decimal } | { error: string } {
  let negative = false;
  let magnitude = value;
  if (typeof value === "number" && value < 0) {
    negative = true;
    magnitude = -value;
  } else if (typeof value === "string" && value.startsWith("-")) {
    negative = true;
    magnitude = value.slice(1);
  }
  const parsed = parseTransactionAmount(magnitude);
  if ("error" in parsed) {
    return { error: parsed.error === "must be greater than 0" ? "must not be 0" : parsed.error };
  }
  return { amount: negative ? parsed.amount.negated() : parsed.amount };
}
