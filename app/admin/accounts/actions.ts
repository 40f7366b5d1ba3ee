"use server";

import { revalidatePath } from "next/cache";
import type { ZodError } from "zod";
import { signedAmount } from "@/components/admin/correction-words";
import { describeIssues } from "@/lib/api/route";
import { consoleActor } from "@/lib/audit/log";
import { adjust, type AdjustmentView } from "@/lib/corrections/adjustments";
import { reverse, type ReversalResult } from "@/lib/corrections/reversals";
import { AdjustmentBody, ReversalItem } from "@/lib/corrections/schemas";
import { getPrisma } from "@/lib/db/client";
import { toPlainString } from "@/lib/money";
import { freezeAccount, unfreezeAccount } from "@/lib/risk/freeze";
import { AccountIdParams, FreezeBody } from "@/lib/risk/schemas";
import type { ActionState } from "../actions";
import { refusal } from "../refusal";
import { currentOperator } from "../session";

const SIGNED_OUT: ActionState = { message: "Your operator session has ended. Sign in again." };

function accountIdOf(form: FormData): string | null {
  const parsed = AccountIdParams.safeParse({ id: form.get("accountId") });
  return parsed.success ? parsed.data.id : null;
}

/** A form the API's schema refuses: the same code and field names a 400 of the API would give. */
function invalid(what: string, error: ZodError): ActionState {
  return { code: "invalid_request", message: `${what}: ${describeIssues(error, "form")}` };
}

/** An optional text field left blank is absent, as an API client would leave it out. */
function optional(value: FormDataEntryValue | null): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

export async function freezeFromConsole(_state: ActionState, form: FormData): Promise<ActionState> {
  const operator = await currentOperator();
  if (!operator) return SIGNED_OUT;
  const accountId = accountIdOf(form);
  const body = FreezeBody.safeParse({ reason: form.get("reason") });
  if (!accountId) return { message: "Not frozen: no account named." };
  if (!body.success) return { message: "Not frozen: give a reason." };
  try {
    await freezeAccount(getPrisma(), { accountId, reason: body.data.reason, actor: consoleActor(operator) });
  } catch (error) {
    return refusal(error, "Not frozen");
  }
  revalidatePath(`/admin/accounts/${accountId}`);
  return { ok: true, message: "Frozen: claims are refused until you unfreeze it." };
}

export async function unfreezeFromConsole(_state: ActionState, form: FormData): Promise<ActionState> {
  const operator = await currentOperator();
  if (!operator) return SIGNED_OUT;
  const accountId = accountIdOf(form);
  if (!accountId) return { message: "Not unfrozen: no account named." };
  try {
    await unfreezeAccount(getPrisma(), { accountId, actor: consoleActor(operator) });
  } catch (error) {
    return refusal(error, "Not unfrozen");
  }
  revalidatePath(`/admin/accounts/${accountId}`);
  return { ok: true, message: "Unfrozen: the account can claim again." };
}

const REVERSAL_REFUSALS = {
  already_reversed: "it was reversed before, under another reversal (another operator, or the API). Nothing changed.",
  not_found: "there is no such transaction. Nothing changed.",
} as const;

/**
 * Reverses one of the account's transactions (lib/corrections/reversals.ts), audited in the reversal's own
 * transaction. The reversalId comes with the rendered form, so submitting that form twice reverses once.
 */
export async function reverseFromConsole(_state: ActionState, form: FormData): Promise<ActionState> {
  const operator = await currentOperator();
  if (!operator) return SIGNED_OUT;
  const accountId = accountIdOf(form);
  if (!accountId) return { message: "Not reversed: no account named." };
  const item = ReversalItem.safeParse({
    reversalId: form.get("reversalId"),
    source: "transaction",
    sourceId: form.get("orderId"),
    reason: optional(form.get("reason")),
  });
  if (!item.success) return invalid("Not reversed", item.error);
  let results: ReversalResult[];
  try {
    results = await reverse(getPrisma(), [item.data], consoleActor(operator), { single: true });
  } catch (error) {
    return refusal(error, "Not reversed", REVERSAL_REFUSALS);
  }
  revalidatePath(`/admin/accounts/${accountId}`);
  const result = results[0]!;
  if (result.duplicate) return { ok: true, message: "Already reversed by this form: nothing changed again." };
  const taken = result.entries.map((e) => `${signedAmount(toPlainString(e.amount), e.unit)} for ${e.accountId}`);
  return {
    ok: true,
    message:
      taken.length > 0 ? `Reversed: ${taken.join(", ")}.` : "Reversed: it had no referrer fee, so no money moved.",
  };
}

/** Adjusts the account (lib/corrections/adjustments.ts); the adjustmentId comes with the rendered form. */
export async function adjustFromConsole(_state: ActionState, form: FormData): Promise<ActionState> {
  const operator = await currentOperator();
  if (!operator) return SIGNED_OUT;
  const body = AdjustmentBody.safeParse({
    adjustmentId: form.get("adjustmentId"),
    accountId: form.get("accountId"),
    unit: form.get("unit"),
    amount: String(form.get("amount") ?? "").trim(),
    reason: form.get("reason"),
  });
  if (!body.success) return invalid("Not adjusted", body.error);
  let outcome: { adjustment: AdjustmentView; created: boolean };
  try {
    outcome = await adjust(getPrisma(), body.data, consoleActor(operator));
  } catch (error) {
    return refusal(error, "Not adjusted", { not_found: "there is no such account. Nothing changed." });
  }
  revalidatePath(`/admin/accounts/${body.data.accountId}`);
  const { adjustment, created } = outcome;
  return {
    ok: true,
    message: created
      ? `Adjusted: ${signedAmount(toPlainString(adjustment.amount), adjustment.unit)} to ${adjustment.accountId}.`
      : "Already recorded by this form: nothing changed again.",
  };
}
