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
    example: { error: "Invalid request", message: "body.userId: Invalid input: expected string, received undefined" },
  },
  invalid_cursor: {
    status: 400,
    description: "`cursor` is not one this endpoint returned",
    example: { error: "Invalid request", message: "query.cursor: not a cursor returned by this endpoint" },
  },
  invalid_wallet_address: {
    status: 400,
    description: "Not an EVM address",
    example: { error: "Invalid request", message: "walletAddress: 0x12 is not an EVM address" },
  },
  invalid_siwe: {
    status: 400,
    description: "The Sign-In with Ethereum message or signature is not valid",
    example: { error: "Invalid sign-in message", message: "The signature does not match the message's address" },
  },
  invalid_rates: {
    status: 400,
    description: "An exchange rate is not a positive decimal of a known currency",
    example: { error: "Invalid exchange rates", message: "rates.KES: must be a number (USD per unit)" },
  },
  password_too_short: {
    status: 400,
    description: "A new password is shorter than the minimum",
    example: { error: "Password too short", message: "Use at least 10 characters" },
  },
  already_referred: {
    status: 400,
    description: "The account already has a referrer; the relationship is permanent",
    example: {
      error: "Already referred",
      message: "This account already has a referrer; a referral relationship is permanent",
    },
  },
  self_referral: {
    status: 400,
    description: "An account cannot use its own referral code",
    example: { error: "Cannot use your own referral code", message: "An account cannot refer itself" },
  },
  referral_cycle: {
    status: 400,
    description: "The code belongs to the account's own network",
    example: {
      error: "Referral would create a loop",
      message: "K7QX2M is in this account's own referral network, so it cannot become its referrer",
    },
  },
  referral_kind_mismatch: {
    status: 400,
    description: "Users refer users and providers refer providers",
    example: {
      error: "Referral kind mismatch",
      message: "Users can only be referred by users, and providers by providers",
    },
  },
  claim_cooldown: {
    status: 400,
    description: "Claims are allowed once per week; `error` and the additive `nextClaimDate` give the next date",
    example: {
      error: "Claims allowed once per week. Next claim available 2026-12-09T10:15:00.000Z",
      message: "Claims allowed once per week. Next claim available 2026-12-09T10:15:00.000Z",
    },
  },
  nothing_to_claim: {
    status: 400,
    description: "No claimable referral fees",
    example: { error: "No accumulated referral fees to claim", message: "No accumulated referral fees to claim" },
  },
  no_wallet_linked: {
    status: 400,
    description: "Link a Base wallet before claiming",
    example: { error: "No wallet linked", message: "Link a Base wallet (PUT /api/user/me/wallet) before claiming" },
  },
  claim_below_minimum: {
    status: 400,
    description: "The claim is worth less than the minimum claim",
    example: {
      error: "Claim amount below minimum",
      message: "The accumulated fees are worth $0.0000004 in USDC; the minimum claim is $0.000001",
    },
  },
  wallet_recently_changed: {
    status: 400,
    description: "The payout wallet was replaced recently; claims wait until the additive `walletHoldUntil`",
    example: {
      error: "Wallet recently changed",
      message: "The payout wallet was replaced recently; claims resume at 2026-12-04T10:15:00.000Z",
    },
  },
  unauthenticated: {
    status: 401,
    description: "No bearer token or session",
    example: { error: "Unauthorized", message: "Missing bearer token or session" },
  },
  invalid_token: {
    status: 401,
    description: "The bearer token is invalid or expired",
    example: { error: "Invalid token", message: "The bearer token has expired" },
  },
  invalid_api_key: {
    status: 403,
    description: "The x-api-key header is missing, unknown, revoked or of the wrong kind",
    example: { error: "Forbidden", message: "Invalid API key" },
  },
  forbidden: {
    status: 403,
    description: "The caller may not act on this resource",
    example: { error: "Forbidden", message: "An account may only read and act on itself" },
  },
  cross_site_request: {
    status: 403,
    description: "A write with a browser session that is not JSON from this site's own origin",
    example: { error: "Forbidden", message: "A write with a browser session must come from this site (Origin)" },
  },
  current_wallet_approval_required: {
    status: 403,
    description: "Replacing a linked wallet needs a Sign-In with Ethereum proof by the wallet linked now",
    example: {
      error: "Current wallet must approve the change",
      message:
        "This account's wallet is 0x70997970C51812dc3A010C7d01b50e0d17dc79C8: send currentMessage and currentSignature, a sign-in message signed by it",
    },
  },
  account_frozen: {
    status: 403,
    description: "The operator froze this account: it keeps earning but cannot claim until unfrozen",
    example: {
      error: "Account frozen",
      message: "The operator froze this account's claims; its earnings are kept",
    },
  },
  not_found: {
    status: 404,
    description: "No such resource",
    example: { error: "Account not found", message: "No account with id usr_7Hq2" },
  },
  referral_code_not_found: {
    status: 404,
    description: "No account has this referral code",
    example: { error: "Referral code not found", message: "No account has the referral code K7QX2M" },
  },
  not_in_network: {
    status: 404,
    description: "The account is not within the caller's first two levels",
    example: {
      error: "Not in your network",
      message: "usr_9Zp4 is not within the first two levels of this account's network",
    },
  },
  account_conflict: {
    status: 409,
    description: "The email, wallet or externalId belongs to another account",
    example: { error: "Account conflict", message: "This email already belongs to another account" },
  },
  wallet_taken: {
    status: 409,
    description: "The wallet is linked to another account",
    example: { error: "Wallet already linked", message: "This wallet is linked to another account" },
  },
  email_taken: {
    status: 409,
    description: "An account with this email exists",
    example: { error: "Email already registered", message: "An account with this email exists; sign in instead" },
  },
  claim_in_progress: {
    status: 409,
    description: "A claim of this account is still being paid",
    example: {
      error: "A claim is already in progress",
      message: "Claim 0b6f3c1e-52a4-4d4e-9a57-1f0c2b8e7d11 is still being paid; it settles on its own",
    },
  },
  claim_not_retryable: {
    status: 409,
    description: "The claim did not fail, or a later claim exists",
    example: { error: "Claim cannot be retried", message: "This claim is completed, not failed" },
  },
  already_reversed: {
    status: 409,
    description: "The event was already reversed under another reversalId",
    example: {
      error: "Already reversed",
      message: "the transaction ord_123 was already reversed under another reversalId",
    },
  },
  body_too_large: {
    status: 413,
    description: "The request body is over the route's limit",
    example: { error: "Request body too large", message: "The body may be at most 1048576 bytes" },
  },
  rate_limited: {
    status: 429,
    description: "Too many requests; see Retry-After",
    example: { error: "Too many requests", message: "Rate limit reached; retry in 12 s" },
  },
  internal_error: {
    status: 500,
    description: "The server could not complete the request; nothing internal is shown",
    example: {
      error: "Internal server error",
      message: "The server could not complete the request; the error was logged.",
    },
  },
  database_unavailable: {
    status: 503,
    description: "The database did not answer",
    example: { error: "Database unavailable", message: "Database did not answer SELECT 1 within 5000 ms" },
  },
  siwe_unavailable: {
    status: 503,
    description: "Sign-In with Ethereum is off: the operator has not configured the site's URL (AUTH_URL)",
    example: {
      error: "Sign-In with Ethereum unavailable",
      message: "This deployment does not know its own address: the operator must set AUTH_URL (or APP_URL)",
    },
  },
  rates_unavailable: {
    status: 503,
    description: "No exchange rate recent enough for a claim; nothing was claimed",
    example: {
      error: "Exchange rate unavailable",
      message: "No exchange rate newer than 86400 s for KES; nothing was claimed, try again later",
    },
  },
  payouts_paused: {
    status: 503,
    description: "The operator paused payouts; nothing was claimed",
    example: {
      error: "Payouts paused",
      message: "Claims are paused by the operator; nothing was claimed, try again later",
    },
  },
  payouts_unavailable: {
    status: 503,
    description: "Payouts are not configured or the chain cannot be reached",
    example: { error: "Payouts unavailable", message: "No payout wallet is configured (PAYOUT_PRIVATE_KEY)" },
  },
  live_unavailable: {
    status: 503,
    description: "Live updates cannot listen to the database now; poll, and open the stream again later",
    example: {
      error: "Live updates unavailable",
      message: "Live updates are not available now; poll, and retry later",
    },
  },
} as const satisfies Record<string, { status: number; description: string; example: ErrorExample }>;

/** A refusal as the API writes it (without `code`): the reference shows one for each code. */
export interface ErrorExample {
  error: string;
  message: string;
}

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
