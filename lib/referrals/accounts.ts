/**
 * Accounts: users and providers, whose ids are their referral codes. Creation is idempotent on the operator's
 * `externalId`, and a `referrer` given at sign-up is applied (with its bonus) in the same transaction, so an
 * account never exists half-referred.
 */
import "server-only";
import { isAddress } from "viem";
import { type Db } from "@/lib/db/client";
import { nowSql } from "@/lib/db/now";
import { DomainError, NotFound } from "@/lib/errors";
import type { EarnerKind } from "@/lib/rewards/rules";
import { newEventId } from "@/lib/webhooks/outbox";
import { evaluateWalletSignals } from "@/lib/risk/signals";
import { applyReferralInTransaction, graphTransaction } from "./apply";
import { AccountConflict } from "./errors";
import { newAccountId } from "./ids";

export type AccountKindName = "user" | "provider";

/** What the API shows of an account (POST /api/accounts, GET /api/user/me). */
export interface AccountView {
  id: string;
  kind: AccountKindName;
  referralCode: string;
  referredBy: string | null;
  walletAddress: string | null;
  createdAt: string;
  /** Claims are stopped while frozen; earning goes on (lib/risk/freeze.ts). */
  frozen: boolean;
  frozenReason: string | null;
}

export function accountView(account: {
  id: string;
  kind: EarnerKind;
  referrerId: string | null;
  walletAddress: string | null;
  createdAt: Date;
  frozenAt: Date | null;
  frozenReason: string | null;
}): AccountView {
  return {
    id: account.id,
    kind: account.kind === "USER" ? "user" : "provider",
    referralCode: account.id,
    referredBy: account.referrerId,
    walletAddress: account.walletAddress,
    createdAt: account.createdAt.toISOString(),
    frozen: account.frozenAt !== null,
    frozenReason: account.frozenReason,
  };
}

const VIEW_FIELDS = {
  id: true,
  kind: true,
  referrerId: true,
  walletAddress: true,
  createdAt: true,
  frozenAt: true,
  frozenReason: true,
} as const;

export async function getAccountView(db: Db, accountId: string): Promise<AccountView> {
  const account = await db.account.findUnique({ where: { id: accountId }, select: VIEW_FIELDS });
  if (!account) throw new NotFound("Account", accountId);
  return accountView(account);
}

export interface NewAccount {
  kind: AccountKindName;
  /** A referral code (account id) to apply at sign-up. */
  referrer?: string;
  walletAddress?: string;
  email?: string;
  /** Set by email sign-up (lib/auth/signin.ts), in the same insert as the account. */
  passwordHash?: string;
  externalId?: string;
}

export class InvalidWalletAddress extends DomainError {
  constructor(address: string) {
    super("invalid_wallet_address", "Invalid request", `walletAddress: ${address} is not an EVM address`);
  }
}

/**
 * Creates an account, or returns the one already created with the same `externalId` (`created: false`).
 * Wallet addresses are stored lower-case, emails trimmed and lower-case. `now` dates an account (and its referral)
 * created after the fact, as the demo's month of history is; accounts are created now by default. `attempt` counts
 * inserts that met a conflict that was gone when looked for (internal).
 * @throws AccountConflict (409) when the email or wallet belongs to another account, or the externalId to an
 *   account of the other kind; the referral errors of `applyReferral` for a bad `referrer`
 */
export async function createAccount(
  db: Db,
  input: NewAccount,
  options: { now?: Date; attempt?: number } = {},
): Promise<{ account: AccountView; created: boolean }> {
  const kind: EarnerKind = input.kind === "user" ? "USER" : "PROVIDER";
  if (input.walletAddress !== undefined && !isAddress(input.walletAddress)) {
    throw new InvalidWalletAddress(input.walletAddress);
  }
  const wallet = input.walletAddress?.toLowerCase() ?? null;
  const email = input.email?.trim().toLowerCase() ?? null;
  const externalId = input.externalId ?? null;

  if (externalId !== null) {
    const existing = await sameExternalId(db, externalId, kind);
    if (existing) return { account: existing, created: false };
  }

  const outcome = await graphTransaction(db, async (tx) => {
    // Without a conflict target: a clash on any unique column (a concurrent request with the same externalId,
    // or an email or wallet already taken) inserts nothing, and the lookups below say which.
    // The account.created event is written by the same statement, only when the account is (docs/webhooks.md);
    // a referrer that turns out invalid below rolls both back.
    const [row] = await tx.$queryRaw<{ id: string }[]>`
      WITH created AS (
        INSERT INTO account (id, kind, wallet_address, email, password_hash, external_id, created_at)
        VALUES (${newAccountId(kind)}, ${kind}::"AccountKind", ${wallet}, ${email}, ${input.passwordHash ?? null}, ${externalId}, ${nowSql(options.now)})
        ON CONFLICT DO NOTHING RETURNING id
      ), announced AS (
        INSERT INTO webhook_event (id, type, data)
        SELECT ${newEventId()}, 'account.created',
               jsonb_build_object('accountId', id, 'kind', ${input.kind}::text, 'referredBy', ${input.referrer ?? null}::text)
        FROM created
      )
      SELECT id FROM created`;
    if (!row) return null;
    if (wallet !== null) await evaluateWalletSignals(tx, row.id, options.now);
    if (input.referrer !== undefined) await applyReferralInTransaction(tx, row.id, input.referrer, options.now);
    return tx.account.findUniqueOrThrow({ where: { id: row.id }, select: VIEW_FIELDS });
  });
  if (outcome) return { account: accountView(outcome), created: true };

  if (externalId !== null) {
    const existing = await sameExternalId(db, externalId, kind);
    if (existing) return { account: existing, created: false };
  }
  if (email !== null && (await db.account.findUnique({ where: { email }, select: { id: true } }))) {
    throw new AccountConflict("This email already belongs to another account");
  }
  if (wallet !== null && (await db.account.findUnique({ where: { walletAddress: wallet }, select: { id: true } }))) {
    throw new AccountConflict("This wallet address is already linked to another account");
  }
  // Nothing visible collided: the conflicting insert rolled back meanwhile (or two random ids met). Try again.
  const attempt = options.attempt ?? 0;
  if (attempt >= 3) throw new Error("Account insert kept conflicting with no conflicting row visible");
  return createAccount(db, input, { ...options, attempt: attempt + 1 });
}

async function sameExternalId(db: Db, externalId: string, kind: EarnerKind): Promise<AccountView | null> {
  const existing = await db.account.findUnique({ where: { externalId }, select: VIEW_FIELDS });
  if (!existing) return null;
  if (existing.kind !== kind) {
    throw new AccountConflict(`externalId ${externalId} already belongs to a ${existing.kind.toLowerCase()} account`);
  }
  return accountView(existing);
}
