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
import { emitEvent, newEventId } from "@/lib/webhooks/outbox";

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

/** PENDING → COMPLETED, with its claim.completed event in the same statement. The cooldown starts from the claim's createdAt. */
export async function completeClaim(db: Db, claimId: string, now: Date = new Date()): Promise<boolean> {
  const [row] = await db.$queryRaw<{ completed: number }[]>`
    WITH done AS (
      UPDATE claim SET status = 'COMPLETED', completed_at = ${now}, updated_at = ${now}, failure_reason = NULL
      WHERE id = ${claimId}::uuid AND status = 'PENDING' AND transaction_hash IS NOT NULL
      RETURNING id, account_id, amount_usd, transaction_hash
    ), announced AS (
      INSERT INTO webhook_event (id, type, data)
      SELECT ${newEventId()}, 'claim.completed', jsonb_build_object(
        'claimId', id::text, 'accountId', account_id, 'amountUsd', trim_scale(amount_usd),
        'transactionHash', transaction_hash, 'status', 'COMPLETED')
      FROM done
    )
    SELECT count(*)::int AS completed FROM done`;
  const completed = row?.completed === 1;
  if (completed) metrics().claims.inc({ status: "COMPLETED" });
  return completed;
}

/**
 * PENDING → FAILED and the claim's entries released, in one transaction with its claim.failed event: they
 * reappear in the balance and the next claim takes them. The claim keeps its lines (what it tried to pay, at
 * which rates).
 * @param onlyUnsigned fail it only if no transfer was signed for it yet (the reconciler's case)
 */
export async function failClaim(db: Db, claimId: string, reason: string, onlyUnsigned = false): Promise<boolean> {
  const failed = await db.$transaction(async (tx) => {
    const [claim] = await tx.$queryRaw<{ account_id: string; amount_usd: string }[]>`
      UPDATE claim SET status = 'FAILED', failure_reason = ${reason.slice(0, 1000)}, updated_at = now()
      WHERE id = ${claimId}::uuid AND status = 'PENDING' AND (${!onlyUnsigned} OR transaction_hash IS NULL)
      RETURNING account_id, amount_usd::text AS amount_usd`;
    if (!claim) return false;
    await tx.feeEntry.updateMany({ where: { claimId }, data: { claimId: null } });
    // A failed claim shows no hash, as the API does: nothing of it was (or will be) mined successfully.
    await emitEvent(tx, "claim.failed", {
      claimId,
      accountId: claim.account_id,
      amountUsd: dec(claim.amount_usd),
      transactionHash: null,
      status: "FAILED",
    });
    return true;
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
