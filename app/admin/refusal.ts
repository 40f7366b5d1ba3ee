import "server-only";
import { DomainError, type ErrorCode } from "@/lib/errors";
import type { ActionState } from "./actions";

/**
 * A console action's refusal: its code, and words chosen by that code (`words`) or, for a code the action has no
 * words for, the error's own text. Anything that is not a DomainError is a bug and surfaces as one.
 */
export function refusal(error: unknown, what: string, words: Partial<Record<ErrorCode, string>> = {}): ActionState {
  if (error instanceof DomainError) {
    const detail = error.error === error.message ? error.error : `${error.error}. ${error.message}`;
    return { code: error.code, message: `${what}: ${words[error.code] ?? detail}` };
  }
  throw error;
}
