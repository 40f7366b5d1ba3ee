/**
 * The one registry of error codes. Every refusal the API gives carries one of these codes beside the seeds'
 * `{error, message}` envelope: `code` is stable and machine-readable (clients and the UI branch on it), `error`
 * is the short text (exactly the seeds' text where they fix one), `message` the detail.
 *
 * Rules in lib/ throw subclasses of DomainError defined beside them (CooldownActive in lib/fees, AlreadyReferred
 * in lib/referrals, …) with a code from here; lib/api maps the code to its HTTP status, so the rules never speak
 * HTTP. docs/api.md lists the same table; a test keeps the two in step.
 */
export const ERROR_CODES = {
  invalid_request: {
    status: 400,
    description: "A parameter, the query or the body is invalid; `message` names the field",
  },
  invalid_cursor: { status: 400, description: "`cursor` is not one this endpoint returned" },
  invalid_wallet_address: { status: 400, description: "Not an EVM address" },
  invalid_siwe: { status: 400, description: "The Sign-In with Ethereum message or signature is not valid" },
  invalid_rates: { status: 400, description: "An exchange rate is not a positive decimal of a known currency" },
  password_too_short: { status: 400, description: "A new password is shorter than the minimum" },
  already_referred: { status: 400, description: "The account already has a referrer; the relationship is permanent" },
  self_referral: { status: 400, description: "An account cannot use its own referral code" },
  referral_cycle: { status: 400, description: "The code belongs to the account's own network" },
  referral_kind_mismatch: { status: 400, description: "Users refer users and providers refer providers" },
  claim_cooldown: {
    status: 400,
    description: "Claims are allowed once per week; `error` and the additive `nextClaimDate` give the next date",
  },
  nothing_to_claim: { status: 400, description: "No claimable referral fees" },
  no_wallet_linked: { status: 400, description: "Link a Base wallet before claiming" },
  claim_below_minimum: { status: 400, description: "The claim is worth less than the minimum claim" },
  wallet_recently_changed: {
    status: 400,
    description: "The payout wallet was replaced recently; claims wait until the additive `walletHoldUntil`",
  },
  unauthenticated: { status: 401, description: "No bearer token or session" },
  invalid_token: { status: 401, description: "The bearer token is invalid or expired" },
  invalid_api_key: {
    status: 403,
    description: "The x-api-key header is missing, unknown, revoked or of the wrong kind",
  },
  forbidden: { status: 403, description: "The caller may not act on this resource" },
  cross_site_request: {
    status: 403,
    description: "A write with a browser session that is not JSON from this site's own origin",
  },
  current_wallet_approval_required: {
    status: 403,
    description: "Replacing a linked wallet needs a Sign-In with Ethereum proof by the wallet linked now",
  },
  not_found: { status: 404, description: "No such resource" },
  referral_code_not_found: { status: 404, description: "No account has this referral code" },
  not_in_network: { status: 404, description: "The account is not within the caller's first two levels" },
  account_conflict: { status: 409, description: "The email, wallet or externalId belongs to another account" },
  wallet_taken: { status: 409, description: "The wallet is linked to another account" },
  email_taken: { status: 409, description: "An account with this email exists" },
  claim_in_progress: { status: 409, description: "A claim of this account is still being paid" },
  claim_not_retryable: { status: 409, description: "The claim did not fail, or a later claim exists" },
  body_too_large: { status: 413, description: "The request body is over the route's limit" },
  rate_limited: { status: 429, description: "Too many requests; see Retry-After" },
  internal_error: { status: 500, description: "The server could not complete the request; nothing internal is shown" },
  database_unavailable: { status: 503, description: "The database did not answer" },
  siwe_unavailable: {
    status: 503,
    description: "Sign-In with Ethereum is off: the operator has not configured the site's URL (AUTH_URL)",
  },
  rates_unavailable: { status: 503, description: "No exchange rate recent enough for a claim; nothing was claimed" },
  payouts_paused: { status: 503, description: "The operator paused payouts; nothing was claimed" },
  payouts_unavailable: { status: 503, description: "Payouts are not configured or the chain cannot be reached" },
  live_unavailable: {
    status: 503,
    description: "Live updates cannot listen to the database now; poll, and open the stream again later",
  },
} as const satisfies Record<string, { status: number; description: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorExtras {
  /** Response headers (Retry-After). */
  headers?: Record<string, string>;
  /** Additive envelope fields a client needs without parsing text (the cooldown's `nextClaimDate`). */
  fields?: Record<string, string | number | null>;
}

export class DomainError extends Error {
  readonly headers?: Record<string, string>;
  readonly fields?: Record<string, string | number | null>;

  /**
   * @param code the machine-readable code; its entry in ERROR_CODES fixes the HTTP status
   * @param error the short text of the `{error, message}` envelope; where a seed fixes it, exactly the seed's text
   * @param message the detailed text; defaults to `error`
   */
  constructor(
    readonly code: ErrorCode,
    readonly error: string,
    message?: string,
    extras: ErrorExtras = {},
  ) {
    super(message ?? error);
    this.name = new.target.name;
    this.headers = extras.headers;
    this.fields = extras.fields;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }
}

export class NotFound extends DomainError {
  constructor(what: string, id: string) {
    super("not_found", `${what} not found`, `No ${what.toLowerCase()} with id ${id}`);
  }
}

export class InvalidRequest extends DomainError {
  constructor(message: string) {
    super("invalid_request", "Invalid request", message);
  }
}

/** A `cursor` query parameter that is not one the endpoint returned (tampered, truncated, or from another list). */
export class InvalidCursor extends DomainError {
  constructor() {
    super("invalid_cursor", "Invalid request", "query.cursor: not a cursor returned by this endpoint");
  }
}
