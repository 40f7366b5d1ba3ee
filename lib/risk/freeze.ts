/**
 * Freezing an account stops its claims while someone looks at it; nothing else changes: it keeps earning, its
 * entries stay, and unfreezing makes everything claimable again. Freeze and claim take the same row lock (the
 * account's, lib/fees/claims.ts), so a claim either opened before the freeze committed or sees the account
 * frozen. A claim opened before but not yet signed is failed by the freeze (its entries released), so the only
 * transfer that can still complete after a freeze is one already signed and on its way.
 */
import "server-only";
import { recordAudit, type Actor } from "@/lib/audit/log";
import type { Db, Prisma } from "@/lib/db/client";
import { DomainError, NotFound } from "@/lib/errors";
import { getAccountView, type AccountView } from "@/lib/referrals/accounts";
import { emitEvent } from "@/lib/webhooks/outbox";

export class AccountFrozen extends DomainError {
  constructor() {
    super("account_frozen", "Account frozen", "The operator froze this account's claims; its earnings are kept");
  }
}

/** The reason a claim opened before a freeze and failed by it shows. */
export const FROZEN_BEFORE_SIGNING = "Account frozen before the transfer was signed";

/**
 * Freezes the account's claims, in `tx` (audited as `account.frozen`, webhook `account.frozen`). Freezing a frozen
 * account again with the same reason changes nothing and records nothing; with another reason it records the new
 * reason (audited, no second webhook event: the account was frozen already).
 * @returns false when it was frozen already
 * @throws NotFound (404)
 */
export async function freezeInTransaction(
  tx: Prisma.TransactionClient,
  input: { accountId: string; reason: string; actor: Actor; details?: Prisma.InputJsonObject },
  now: Date = new Date(),
): Promise<boolean> {
  const [account] = await tx.$queryRaw<{ frozen_reason: string | null }[]>`
    SELECT frozen_reason FROM account WHERE id = ${input.accountId} FOR UPDATE`;
  if (!account) throw new NotFound("Account", input.accountId);
  if (account.frozen_reason !== null) {
    if (account.frozen_reason === input.reason) return false;
    await tx.account.update({ where: { id: input.accountId }, data: { frozenReason: input.reason } });
    await recordAudit(tx, {
      actor: input.actor,
      action: "account.frozen",
      target: input.accountId,
      details: { reason: input.reason, previousReason: account.frozen_reason, ...input.details },
    });
    return false;
  }
  await tx.account.update({ where: { id: input.accountId }, data: { frozenAt: now, frozenReason: input.reason } });
  const unsigned = await tx.claim.findMany({
    where: { accountId: input.accountId, status: "PENDING", transactionHash: null },
    select: { id: true },
  });
  for (const claim of unsigned) {
    // The conditional update is what the claim's own signing step (storeSignedTransfer) races against: whichever
    // changes the PENDING unsigned claim first wins, so it is either signed (and paid) or failed, never both.
    const { count } = await tx.claim.updateMany({
      where: { id: claim.id, status: "PENDING", transactionHash: null },
      data: { status: "FAILED", failureReason: FROZEN_BEFORE_SIGNING, updatedAt: now },
    });
    if (count === 1) await tx.feeEntry.updateMany({ where: { claimId: claim.id }, data: { claimId: null } });
  }
  await recordAudit(tx, {
    actor: input.actor,
    action: "account.frozen",
    target: input.accountId,
    details: {
      reason: input.reason,
      ...input.details,
      ...(unsigned.length ? { failedClaims: unsigned.map((c) => c.id) } : {}),
    },
  });
  await emitEvent(tx, "account.frozen", { accountId: input.accountId, reason: input.reason });
  return true;
}

/**
 * POST /api/accounts/{id}/freeze, and the console's Freeze.
 * @throws NotFound (404)
 */
export async function freezeAccount(
  db: Db,
  input: { accountId: string; reason: string; actor: Actor },
  now: Date = new Date(),
): Promise<AccountView> {
  await db.$transaction((tx) => freezeInTransaction(tx, input, now));
  return getAccountView(db, input.accountId);
}

/**
 * POST /api/accounts/{id}/unfreeze: claims are allowed again (audited as `account.unfrozen`). Unfreezing an
 * account that is not frozen changes nothing and records nothing.
 * @throws NotFound (404)
 */
export async function unfreezeAccount(db: Db, input: { accountId: string; actor: Actor }): Promise<AccountView> {
  await db.$transaction(async (tx) => {
    const [account] = await tx.$queryRaw<{ frozen_reason: string | null }[]>`
      SELECT frozen_reason FROM account WHERE id = ${input.accountId} FOR UPDATE`;
    if (!account) throw new NotFound("Account", input.accountId);
    if (account.frozen_reason === null) return;
    await tx.account.update({ where: { id: input.accountId }, data: { frozenAt: null, frozenReason: null } });
    await recordAudit(tx, {
      actor: input.actor,
      action: "account.unfrozen",
      target: input.accountId,
      details: { previousReason: account.frozen_reason },
    });
  });
  return getAccountView(db, input.accountId);
}
