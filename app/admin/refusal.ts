import "server-only";
import { DomainError } from "@/lib/errors";
import type { ActionState } from "./actions";

/** A console action's refusal in words; anything else is a bug and surfaces as one. */
export function refusal(error: unknown, what: string): ActionState {
  if (error instanceof DomainError) {
    return { message: `${what}: ${error.error === error.message ? error.error : `${error.error}. ${error.message}`}` };
  }
  throw error;
}
