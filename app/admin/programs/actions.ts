"use server";

import { revalidatePath } from "next/cache";
import { consoleActor } from "@/lib/audit/log";
import { getPrisma } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import type { Change } from "@/lib/programs/document";
import { previewProgramChange, programName, updateProgram } from "@/lib/programs/store";
import { currentOperator } from "../session";

export type ReviewState = { changes: Change[]; basedOn: number } | { message: string };
export type ApplyState = { ok: boolean; message: string };

const SIGNED_OUT = "Your operator session has ended. Sign in again.";

function refusal(error: unknown): string {
  if (error instanceof DomainError) return error.message;
  throw error;
}

/** What the change would do to the version in force (nothing is written), or why it is refused. */
export async function reviewProgramChange(name: string, patch: Record<string, unknown>): Promise<ReviewState> {
  if (!(await currentOperator())) return { message: SIGNED_OUT };
  try {
    return await previewProgramChange(getPrisma(), programName(name), patch);
  } catch (error) {
    return { message: refusal(error) };
  }
}

/** Makes the reviewed change the next version, audited as the console's operator (refused if the review is stale). */
export async function applyProgramChange(
  name: string,
  patch: Record<string, unknown>,
  basedOn: number,
): Promise<ApplyState> {
  const operator = await currentOperator();
  if (!operator) return { ok: false, message: SIGNED_OUT };
  try {
    const saved = await updateProgram(getPrisma(), programName(name), patch, consoleActor(operator), { basedOn });
    revalidatePath("/admin/programs");
    return { ok: true, message: `Version ${saved.version} of the ${name} program is in force.` };
  } catch (error) {
    return { ok: false, message: refusal(error) };
  }
}
