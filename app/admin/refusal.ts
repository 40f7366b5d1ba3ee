import "server-only";
import { DomainError } from "@/lib/errors";
import type { ActionState } from "./actions";

/** A console action's refusal in words, with its code; anything else is a bug and surfaces as one. */
export function refusal(error: unknown, what: string): ActionState {
  if (error instanceof DomainError) {
    const detail = error.error === error.message ? error.error : `${error.error}. ${error.message}`;
    return { code: error.code, message: `${what}: ${detail}` };
  }
  throw error;
}
