/**
 * Typed domain errors. Rules in lib/ throw subclasses of DomainError defined beside them
 * (CooldownActive in lib/fees, AlreadyReferred in lib/referrals, …); lib/api maps each `kind` to an
 * HTTP status, so the rules never speak HTTP.
 */
export type DomainErrorKind =
  | "invalid" // 400
  | "unauthenticated" // 401
  | "forbidden" // 403
  | "not_found" // 404
  | "conflict" // 409
  | "too_large" // 413
  | "rate_limited" // 429
  | "unavailable"; // 503

export class DomainError extends Error {
  /**
   * @param error the short text of the `{error, message}` envelope; where a seed fixes it, exactly the seed's text
   * @param message the detailed text; defaults to `error`
   */
  constructor(
    readonly kind: DomainErrorKind,
    readonly error: string,
    message?: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message ?? error);
    this.name = new.target.name;
  }
}

export class NotFound extends DomainError {
  constructor(what: string, id: string) {
    super("not_found", `${what} not found`, `No ${what.toLowerCase()} with id ${id}`);
  }
}
