"use server";

import { headers } from "next/headers";
import { SignUpForm } from "@/lib/auth/schemas";
import { EmailTaken, signUpWithPassword } from "@/lib/auth/signin";
import { enforceClientLimit } from "@/lib/auth/throttle";
import { RateLimited } from "@/lib/auth/rate-limit";
import { DomainError } from "@/lib/errors";
import { getPrisma } from "@/lib/db/client";

export interface SignUpState {
  error?: string;
  /** The form was accepted: the browser now signs in with the same email and password. */
  done?: boolean;
}

/**
 * Creates an email + password account, with its referral code if any. A taken email is answered exactly like a new
 * one (`done`): the browser then signs in with what was typed, which works for a new account and for the owner of
 * an existing one, so the form tells nobody which emails have accounts (docs/security.md). At most 60 sign-ups a
 * minute per client address.
 */
export async function signUpAction(_state: SignUpState, form: FormData): Promise<SignUpState> {
  const input = SignUpForm.safeParse(Object.fromEntries(form));
  if (!input.success) return { error: input.error.issues[0]?.message ?? "Check the form" };
  try {
    await enforceClientLimit(await headers(), "sign-up");
    await signUpWithPassword(getPrisma(), { ...input.data, referrer: input.data.referrer || undefined });
  } catch (error) {
    if (error instanceof EmailTaken) return { done: true };
    if (error instanceof RateLimited) return { error: "Too many sign-ups from your network. Try again in a minute." };
    if (error instanceof DomainError) return { error: error.message };
    throw error;
  }
  return { done: true };
}
