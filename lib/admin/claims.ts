/**
 * The operator's retry of a failed claim. A FAILED claim sent nothing and released its entries, so there is
 * nothing to resend: retrying means claiming that account's unclaimed fees again, now, through the one claim
 * path (cooldown, in-flight check, exactly-once transfer). The failed claim stays in the history as it was.
 */
import "server-only";
import type { Db } from "@/lib/db/client";
import { DomainError, NotFound } from "@/lib/errors";
import type { ClaimResult } from "@/lib/fees/claim-state";
import { claimReferralFees, type ClaimOptions } from "@/lib/fees/claims";

export class NotRetryable extends DomainError {
  constructor(message: string) {
    super("claim_not_retryable", "Claim cannot be retried", message);
  }
}

/**
 * @returns the new claim (COMPLETED, FAILED again, or PENDING)
 * @throws NotFound; NotRetryable when the claim did not fail or a later claim of its account exists;
 *   any refusal of `claimReferralFees` (nothing to claim, no wallet, rates, paused, …)
 */
export async function retryFailedClaim(db: Db, claimId: string, options: ClaimOptions = {}): Promise<ClaimResult> {
  const claim = /^[0-9a-f-]{36}$/i.test(claimId)
    ? await db.claim.findUnique({ where: { id: claimId }, select: { accountId: true, status: true, createdAt: true } })
    : null;
  if (!claim) throw new NotFound("Claim", claimId);
  if (claim.status !== "FAILED") throw new NotRetryable(`This claim is ${claim.status.toLowerCase()}, not failed`);
  const later = await db.claim.findFirst({
    where: { accountId: claim.accountId, createdAt: { gt: claim.createdAt } },
    select: { id: true },
  });
  if (later) throw new NotRetryable(`A later claim (${later.id}) of this account exists`);
  return claimReferralFees(db, claim.accountId, options);
}
