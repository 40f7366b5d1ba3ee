"use server";

import { revalidatePath } from "next/cache";
import { consoleActor } from "@/lib/audit/log";
import { getPrisma } from "@/lib/db/client";
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
