"use server";

import { revalidatePath } from "next/cache";
import { consoleActor } from "@/lib/audit/log";
import { getPrisma } from "@/lib/db/client";
import { resolveSignal } from "@/lib/risk/review";
import { ResolveSignalBody, SignalParams } from "@/lib/risk/schemas";
import type { ActionState } from "../actions";
import { refusal } from "../refusal";
import { currentOperator } from "../session";

export async function resolveSignalFromConsole(_state: ActionState, form: FormData): Promise<ActionState> {
  const operator = await currentOperator();
  if (!operator) return { message: "Your operator session has ended. Sign in again." };
  const id = SignalParams.safeParse({ id: form.get("signalId") });
  const body = ResolveSignalBody.safeParse({ resolution: form.get("resolution") });
  if (!id.success) return { message: "Not resolved: no signal named." };
  if (!body.success) return { message: "Not resolved: write a note." };
  try {
    const signal = await resolveSignal(getPrisma(), {
      id: id.data.id,
      resolution: body.data.resolution,
      actor: consoleActor(operator),
    });
    revalidatePath("/admin/review");
    revalidatePath(`/admin/accounts/${signal.accountId}`);
  } catch (error) {
    return refusal(error, "Not resolved");
  }
  return { ok: true, message: "Resolved." };
}
