/**
 * An account's payout wallet. It is linked with a Sign-In with Ethereum proof by that wallet. Replacing it needs
 * more: a proof by the wallet linked now as well (a session or bearer token alone cannot redirect payouts), or the
 * operator's secret key (audited). Every replacement starts a hold on claims (lib/fees/wallet-hold.ts), so even a
 * replacement the owner did not make cannot be paid out before the owner notices. docs/security.md.
 */
import "server-only";
import { keyActor, recordAudit } from "@/lib/audit/log";
import type { OperatorCaller } from "@/lib/auth/caller";
import { type Db } from "@/lib/db/client";
import { DomainError, NotFound } from "@/lib/errors";
import { getAccountView, InvalidWalletAddress, type AccountView } from "@/lib/referrals/accounts";
import { evaluateWalletSignals } from "@/lib/risk/signals";
import { isAddress } from "viem";
import { InvalidSiwe, verifySiwe, type SiweProof } from "./siwe";

export class WalletTaken extends DomainError {
  constructor() {
    super("wallet_taken", "Wallet already linked", "This wallet is linked to another account");
  }
}

export class CurrentWalletApprovalRequired extends DomainError {
  constructor(message: string) {
    super("current_wallet_approval_required", "Current wallet must approve the change", message);
  }
}

export interface WalletChange extends SiweProof {
  /** The wallet to link; `message` and `signature` are its proof. */
  address: string;
  /** A proof by the wallet linked now; needed when the account has one and `address` is another. */
  currentMessage?: string | null;
  currentSignature?: string | null;
}

/**
 * Links `address` to the account (a first link), or replaces the linked wallet with the linked wallet's approval.
 * Linking the wallet already linked is a no-op.
 * @throws CurrentWalletApprovalRequired (403) for a replacement without a valid proof by the current wallet, before
 *   anything else is checked; InvalidSiwe (400) for a bad proof of the new wallet; WalletTaken (409)
 */
export async function changeWallet(
  db: Db,
  accountId: string,
  change: WalletChange,
  now: Date = new Date(),
): Promise<{ walletAddress: string }> {
  const address = change.address.toLowerCase();
  const account = await db.account.findUnique({ where: { id: accountId }, select: { walletAddress: true } });
  if (!account) throw new NotFound("Account", accountId);
  const current = account.walletAddress;
  const replacing = current !== null && current !== address;
  if (replacing) {
    if (!change.currentMessage || !change.currentSignature) {
      throw new CurrentWalletApprovalRequired(
        `This account's wallet is ${current}: send currentMessage and currentSignature, a sign-in message signed by it`,
      );
    }
    let approver: string;
    try {
      approver = await verifySiwe(db, { message: change.currentMessage, signature: change.currentSignature });
    } catch (error) {
      if (error instanceof InvalidSiwe) throw new CurrentWalletApprovalRequired(`currentMessage: ${error.message}`);
      throw error;
    }
    if (approver !== current) {
      throw new CurrentWalletApprovalRequired(`The approval is signed by ${approver}, not by the linked wallet`);
    }
  }
  const signer = await verifySiwe(db, { message: change.message, signature: change.signature });
  if (signer !== address) throw new InvalidSiwe("The message was signed for another address");
  if (!replacing) {
    await linkFirstWallet(db, accountId, signer);
    return { walletAddress: signer };
  }
  const moved = await writeWallet(db, accountId, current, signer, now);
  if (!moved) throw new CurrentWalletApprovalRequired("The account's wallet changed meanwhile; approve again");
  return { walletAddress: signer };
}

/**
 * Links a wallet to an account that has none (sign-in with a new wallet while signed in, or the first PUT).
 * Idempotent for the same pair.
 * @throws WalletTaken (409) when the wallet is another account's; CurrentWalletApprovalRequired (403) when the
 *   account already has another wallet (that is a replacement: `changeWallet`)
 */
export async function linkFirstWallet(db: Db, accountId: string, address: `0x${string}`): Promise<void> {
  const owner = await db.account.findUnique({ where: { walletAddress: address }, select: { id: true } });
  if (owner?.id === accountId) return;
  if (owner) throw new WalletTaken();
  if (!(await writeWallet(db, accountId, null, address, new Date()))) {
    throw new CurrentWalletApprovalRequired(
      "This account already has a wallet; replacing it needs the linked wallet's approval",
    );
  }
}

/**
 * The operator replaces (or sets) an account's wallet, for an owner who lost theirs: audited as
 * `account.wallet_replaced` in the same transaction.
 * @throws InvalidWalletAddress (400), NotFound (404), WalletTaken (409)
 */
export async function replaceWalletByOperator(
  db: Db,
  caller: OperatorCaller,
  accountId: string,
  address: string,
  now: Date = new Date(),
): Promise<AccountView> {
  if (!isAddress(address, { strict: false })) throw new InvalidWalletAddress(address);
  const to = address.toLowerCase();
  await withWalletTaken(() =>
    db.$transaction(async (tx) => {
      const [account] = await tx.$queryRaw<{ wallet_address: string | null }[]>`
        SELECT wallet_address FROM account WHERE id = ${accountId} FOR UPDATE`;
      if (!account) throw new NotFound("Account", accountId);
      const from = account.wallet_address;
      if (from === to) return;
      await tx.account.update({
        where: { id: accountId },
        data: { walletAddress: to, ...(from !== null ? { walletChangedAt: now } : {}) },
      });
      await evaluateWalletSignals(tx, accountId, now);
      await recordAudit(tx, {
        actor: keyActor(caller),
        action: "account.wallet_replaced",
        target: accountId,
        details: { from, to },
      });
    }),
  );
  return getAccountView(db, accountId);
}

/**
 * Moves the account from wallet `from` (null: none) to `to`, only if it still has `from`; false if it does not.
 * A move away from a wallet is a replacement and starts the claim hold. The wallet's risk signals are evaluated in
 * the same transaction.
 */
async function writeWallet(db: Db, accountId: string, from: string | null, to: string, now: Date): Promise<boolean> {
  return withWalletTaken(() =>
    db.$transaction(async (tx) => {
      const { count } = await tx.account.updateMany({
        where: { id: accountId, walletAddress: from },
        data: { walletAddress: to, ...(from !== null ? { walletChangedAt: now } : {}) },
      });
      if (count === 1) await evaluateWalletSignals(tx, accountId, now);
      return count === 1;
    }),
  );
}

/** Two accounts racing for one wallet: the unique index decides, and the loser is told plainly. */
async function withWalletTaken<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") throw new WalletTaken();
    throw error;
  }
}
