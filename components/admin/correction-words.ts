/**
 * What a console correction will change, in words with exact amounts (docs/corrections.md): the confirmations and
 * outcomes of the account page's Reverse and Adjust actions. Pure, so the page, the browser and the server
 * actions say the same thing.
 */
import { formatExact } from "@/components/ui/format";
import { parseAdjustmentAmount } from "@/lib/corrections/amounts";
import { dec } from "@/lib/money";

/** A transaction's fee entry as a reversal finds it. */
export interface ReversibleFee {
  referrerId: string;
  /** Exact decimal text. */
  amount: string;
  currency: string;
  /** A PENDING or COMPLETED claim holds it: a reversal claws it back instead of voiding it. */
  claimed: boolean;
}

/** An amount with its sign and unit, every digit shown: "+10 POINTS", "-0.45 KES". */
export function signedAmount(amount: string, unit: string): string {
  const d = dec(amount);
  return `${d.isNegative() ? "" : "+"}${formatExact(amount, unit === "POINTS" ? 0 : 2)} ${unit}`;
}

/** What reversing the transaction `orderId` does to its referrer's fee. */
export function reversalChange(orderId: string, fee: ReversibleFee | null): string {
  if (!fee || dec(fee.amount).isZero()) {
    return `No money moves: ${orderId} earned no referrer fee. It is only marked reversed.`;
  }
  const amount = `${formatExact(fee.amount, 2)} ${fee.currency}`;
  return fee.claimed
    ? `Claw back ${amount} from ${fee.referrerId}: their next claim is reduced by it.`
    : `Void the unclaimed fee of ${amount} owed to ${fee.referrerId}.`;
}

export type AdjustmentPreview = { change: string; effect: string } | { error: string };

const amountRefused = (error: string) => `The amount ${error}.`;

/** Why the API would refuse this amount (lib/corrections/amounts.ts), in a sentence; null when it would take it. */
export function adjustmentAmountError(text: string): string | null {
  const parsed = parseAdjustmentAmount(text.trim());
  return "error" in parsed ? amountRefused(parsed.error) : null;
}

/** What an adjustment with these form values does, or why the amount is not one. */
export function adjustmentChange(input: {
  accountId: string;
  unit: string;
  amount: string;
  reason: string;
}): AdjustmentPreview {
  const parsed = parseAdjustmentAmount(input.amount.trim());
  if ("error" in parsed) return { error: amountRefused(parsed.error) };
  const amount = parsed.amount.toFixed();
  const change = `${signedAmount(amount, input.unit)} to ${input.accountId}, reason “${input.reason.trim()}”`;
  if (input.unit === "POINTS") {
    return {
      change,
      effect:
        "It counts in the account's all-time points and today's history as an adjustment, and is never shared with its referrers.",
    };
  }
  return {
    change,
    effect: parsed.amount.isNegative()
      ? "An entry of that amount joins its unclaimed fees at once: its next claim is reduced by it."
      : "An entry of that amount joins its unclaimed fees: its next claim pays it, once the program's hold (if any) is over.",
  };
}
