/**
 * Who is calling, once the guard has checked the credentials, and what that caller may act on.
 */
import { DomainError, InvalidRequest } from "@/lib/errors";

/** The operator's backend, with a secret key: may act on any account. */
export type OperatorCaller = { type: "operator"; keyId: string; keyPrefix: string };
/** An end user: bearer token + key, or a browser session. Acts only on itself. */
export type AccountCaller = { type: "account"; accountId: string; via: "bearer" | "session"; keyId: string | null };
export type Caller = OperatorCaller | AccountCaller;

/**
 * - `none`: anyone.
 * - `secret`: the operator's secret key only.
 * - `user`: a signed-in account (bearer + key, or session), acting on itself.
 * - `account`: a signed-in account acting on itself, or a secret key acting on any account.
 * - `metrics`: Prometheus with `Authorization: Bearer $METRICS_TOKEN`, or the operator's secret key (either header).
 */
export type AuthMode = "none" | "secret" | "user" | "account" | "metrics";

export class Unauthenticated extends DomainError {
  constructor(message: string) {
    super("unauthenticated", "Unauthorized", message);
  }
}

export class Forbidden extends DomainError {
  constructor(message: string) {
    super("forbidden", "Forbidden", message);
  }
}

/** 403 as the seed has it: the x-api-key header is missing, unknown, revoked or of the wrong kind. */
export class InvalidApiKey extends DomainError {
  constructor(message: string) {
    super("invalid_api_key", "Forbidden", message);
  }
}

/** Refuses (403) an account caller acting on another account; the operator may act on any. */
export function assertMayActOn(caller: Caller, accountId: string): void {
  if (caller.type === "account" && caller.accountId !== accountId) {
    throw new Forbidden("An account may only read and act on itself");
  }
}

/**
 * The account a request acts on: the caller's own, or for the operator the one it names.
 * @param named the account given in the path or body, if any
 */
export function targetAccount(caller: Caller, named: string | undefined): string {
  if (caller.type === "account") {
    if (named !== undefined) assertMayActOn(caller, named);
    return caller.accountId;
  }
  if (named === undefined) {
    throw new InvalidRequest("A secret key acts for no account of its own: name one with accountId");
  }
  return named;
}
