/**
 * The claim state machine's transitions (docs/perpetual-earnings.md). Every transition is a conditional update
 * on a PENDING claim, so the claim request, the reconciler and a second reconciler can race and the first one
 * wins: a claim settles once.
 *
 *   PENDING (no hash) ──signed, stored──▶ PENDING (hash)
 *   PENDING (any) ──definite failure──▶ FAILED   (entries released, claimable again)
 *   PENDING (hash) ──receipt success──▶ COMPLETED
 */
import "server-only";
import type { Hex } from "viem";
import type { Db } from "@/lib/db/client";
import { dec, type Decimal } from "@/lib/money";
import { metrics } from "@/lib/observability/metrics";

export type ClaimStatusName = "PENDING" | "COMPLETED" | "FAILED";

/** The seed's claim answer. A FAILED claim shows no hash: nothing of it was (or will be) mined successfully. */
export interface ClaimResult {
  id: string;
  amountUsd: Decimal;
  transactionHash: string | null;
  status: ClaimStatusName;
}

/**
 * Records the signed transfer on a claim that has none yet. Must succeed before the transfer is broadcast.
 * @returns false when the claim is no longer PENDING without a transfer (the reconciler settled it): do not broadcast
 */
export async function storeSignedTransfer(
  db: Db,
  claimId: string,
  signed: { hash: Hex; nonce: number; serialized: Hex },
  payoutAddress: string,
): Promise<boolean> {
  const { count } = await db.claim.updateMany({
    where: { id: claimId, status: "PENDING", transactionHash: null },
    data: {
      transactionHash: signed.hash,
      nonce: signed.nonce,
      signedTransaction: signed.serialized,
      payoutAddress: payoutAddress.toLowerCase(),
    },
  });
  return count === 1;
}

/** PENDING → COMPLETED. The cooldown starts from the claim's createdAt. */
export async function completeClaim(db: Db, claimId: string, now: Date = new Date()): Promise<boolean> {
  const { count } = await db.claim.updateMany({
    where: { id: claimId, status: "PENDING", transactionHash: { not: null } },
    data: { status: "COMPLETED", completedAt: now, updatedAt: now, failureReason: null },
  });
  if (count === 1) metrics().claims.inc({ status: "COMPLETED" });
  return count === 1;
}

/**
 * PENDING → FAILED and the claim's entries released, in one transaction: they reappear in the balance and
 * the next claim takes them. The claim keeps its lines (what it tried to pay, at which rates).
 * @param onlyUnsigned fail it only if no transfer was signed for it yet (the reconciler's case)
 */
export async function failClaim(db: Db, claimId: string, reason: string, onlyUnsigned = false): Promise<boolean> {
  const failed = await db.$transaction(async (tx) => {
    const { count } = await tx.claim.updateMany({
      where: { id: claimId, status: "PENDING", ...(onlyUnsigned ? { transactionHash: null } : {}) },
      data: { status: "FAILED", failureReason: reason.slice(0, 1000) },
    });
    if (count === 1) await tx.feeEntry.updateMany({ where: { claimId }, data: { claimId: null } });
    return count === 1;
  });
  if (failed) metrics().claims.inc({ status: "FAILED" });
  return failed;
}

export async function readClaimResult(db: Db, claimId: string): Promise<ClaimResult> {
  const claim = await db.claim.findUniqueOrThrow({
    where: { id: claimId },
    select: { id: true, amountUsd: true, transactionHash: true, status: true },
  });
  return {
    id: claim.id,
    amountUsd: dec(claim.amountUsd.toString()),
    transactionHash: claim.status === "FAILED" ? null : claim.transactionHash,
    status: claim.status,
  };
}
