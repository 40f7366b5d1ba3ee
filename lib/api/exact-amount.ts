/**
 * A money amount in a request: a JSON number or a decimal string, parsed to an exact Decimal by the rule that
 * knows what the amount may be (`parse` says what is wrong, and the 400 names the field with that text).
 */
import type { Decimal } from "@/lib/money";
import { z } from "./openapi";

export function exactAmount(
  parse: (value: unknown) => { amount: Decimal } | { error: string },
  documentation: { description: string; example: number },
) {
  return z
    .union([z.number(), z.string()])
    .transform((value, ctx): Decimal => {
      const parsed = parse(value);
      if ("amount" in parsed) return parsed.amount;
      ctx.addIssue({ code: "custom", message: parsed.error });
      return z.NEVER;
    })
    .openapi(documentation);
}
