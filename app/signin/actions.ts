"use server";

import { AuthError } from "next-auth";
import { signIn } from "@/lib/auth/nextauth";
import { SignUpForm } from "@/lib/auth/schemas";
import { signUpWithPassword } from "@/lib/auth/signin";
import { DomainError } from "@/lib/errors";
import { safeCallbackUrl } from "./callback";
import { getPrisma } from "@/lib/db/client";

export interface SignUpState {
  error?: string;
}

/** Creates an email + password account (with its referral code, if any) and signs it in. */
export async function signUpAction(_state: SignUpState, form: FormData): Promise<SignUpState> {
  const input = SignUpForm.safeParse(Object.fromEntries(form));
  if (!input.success) return { error: input.error.issues[0]?.message ?? "Check the form" };
  try {
    await signUpWithPassword(getPrisma(), { ...input.data, referrer: input.data.referrer || undefined });
  } catch (error) {
    if (error instanceof DomainError) return { error: error.message };
    throw error;
  }
  try {
    await signIn("password", {
      email: input.data.email,
      password: input.data.password,
      redirectTo: safeCallbackUrl(input.data.callbackUrl),
    });
  } catch (error) {
    // signIn redirects by throwing; only a refused sign-in is ours to report.
    if (error instanceof AuthError) return { error: "The account was created but sign-in failed; try signing in." };
    throw error;
  }
  return {};
}
