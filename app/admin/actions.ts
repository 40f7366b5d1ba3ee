"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { retryFailedClaim } from "@/lib/admin/claims";
import { startOperatorSession } from "@/lib/admin/session";
import { getPrisma } from "@/lib/db/client";
import { DomainError, type ErrorCode } from "@/lib/errors";
import { reconcilePendingClaims } from "@/lib/fees/reconcile";
import { clearOperatorCookie, currentOperator, setOperatorCookie } from "./session";

export interface ActionState {
  ok?: boolean;
  message?: string;
  /** A refusal's code from the registry (lib/errors.ts): what a page or a test branches on, never the words. */
  code?: ErrorCode;
}

export async function operatorSignIn(_state: ActionState, form: FormData): Promise<ActionState> {
  const key = String(form.get("key") ?? "").trim();
  if (!key) return { message: "Paste your secret API key (sk_…)." };
  const cookie = await startOperatorSession(getPrisma(), key);
  if (!cookie) return { message: "That is not a live secret API key." };
  await setOperatorCookie(cookie);
  redirect("/admin");
}

export async function operatorSignOut(): Promise<void> {
  await clearOperatorCookie();
  redirect("/admin");
}

const STATUS_WORDS = {
  COMPLETED: "completed",
  PENDING: "sent, waiting for confirmation",
  FAILED: "failed again",
} as const;

/** Claims a failed claim's account again (lib/admin/claims.ts); says what happened in words. */
export async function retryClaim(_state: ActionState, form: FormData): Promise<ActionState> {
  if (!(await currentOperator())) return { message: "Your operator session has ended. Sign in again." };
  const claimId = String(form.get("claimId") ?? "");
  try {
    const result = await retryFailedClaim(getPrisma(), claimId);
    revalidatePath("/admin");
    return {
      ok: result.status !== "FAILED",
      message: `New claim of $${result.amountUsd.toFixed()} ${STATUS_WORDS[result.status]}.`,
    };
  } catch (error) {
    if (error instanceof DomainError) {
      return {
        message: `Not retried: ${error.error === error.message ? error.error : `${error.error}. ${error.message}`}.`,
      };
    }
    throw error;
  }
}

/** Settles PENDING claims older than the reconciler's grace period, now (lib/fees/reconcile.ts). */
export async function reconcileNow(_state: ActionState): Promise<ActionState> {
  if (!(await currentOperator())) return { message: "Your operator session has ended. Sign in again." };
  const report = await reconcilePendingClaims(getPrisma());
  revalidatePath("/admin");
  const counts = report.actions.reduce<Record<string, number>>(
    (c, a) => ({ ...c, [a.action]: (c[a.action] ?? 0) + 1 }),
    {},
  );
  const summary = Object.entries(counts)
    .map(([action, n]) => `${n} ${action}`)
    .join(", ");
  return {
    ok: true,
    message:
      report.examined === 0
        ? "No pending claim is old enough to settle yet: a claim is left to its own request for the first minutes."
        : `Examined ${report.examined}: ${summary}.`,
  };
}
