/**
 * Settles PENDING claims that their request left unsettled (no receipt in time, process killed, RPC down).
 * Run on a schedule and by `npm run claims:reconcile`. Safe to run anywhere, any number of times, at once:
 * every transition is conditional on the claim still being PENDING, and it never signs anything — a transfer
 * it finds dropped is resent as the exact bytes signed the first time, so one claim is at most one transfer.
 */
import "server-only";
import type { Hex } from "viem";
import type { Db } from "@/lib/db/client";
import { payoutConfig, type Env } from "@/lib/payouts/config";
import { PayoutWallet, shortReason } from "@/lib/payouts/transfer";
import { completeClaim, failClaim } from "./claim-state";

export const DEFAULT_RECONCILE_GRACE_SECONDS = 300;
export const DEFAULT_RECONCILE_INTERVAL_SECONDS = 60;
const BATCH = 100;

export type ReconcileAction =
  | "completed"
  | "failed"
  /** Still in a mempool, or the chain could not be asked: left for the next run. */
  | "waiting"
  /** Nobody had it and its nonce is unused: the stored signed transaction was sent again. */
  | "rebroadcast"
  /** Settled by someone else between our read and our update. */
  | "skipped";

export interface ReconcileReport {
  examined: number;
  actions: { claimId: string; action: ReconcileAction; detail?: string }[];
}

export interface ReconcileOptions {
  env?: Env;
  /**
   * Only claims unchanged for this long: a claim younger than that is most likely still being paid by its own
   * request. Defaults to CLAIMS_RECONCILE_GRACE_SECONDS or 300.
   */
  graceSeconds?: number;
  now?: Date;
}

function seconds(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number of seconds, got "${raw}"`);
  return value;
}

/** For the scheduler: CLAIMS_RECONCILE_SECONDS, default 60. */
export function claimsReconcileIntervalMs(env: Env = process.env): number {
  return Math.max(1, seconds(env, "CLAIMS_RECONCILE_SECONDS", DEFAULT_RECONCILE_INTERVAL_SECONDS)) * 1000;
}

/**
 * Settles every PENDING claim older than the grace period:
 * - no signed transfer (the request died before signing): nothing was sent → FAILED, entries released;
 * - receipt success → COMPLETED; receipt reverted → FAILED;
 * - still in a mempool → left alone;
 * - unknown to the node and its nonce used by another transaction → it can never be mined → FAILED;
 * - unknown to the node and its nonce unused → the same signed transaction is broadcast again.
 */
export async function reconcilePendingClaims(db: Db, options: ReconcileOptions = {}): Promise<ReconcileReport> {
  const env = options.env ?? process.env;
  const grace = options.graceSeconds ?? seconds(env, "CLAIMS_RECONCILE_GRACE_SECONDS", DEFAULT_RECONCILE_GRACE_SECONDS);
  const cutoff = new Date((options.now ?? new Date()).getTime() - grace * 1000);
  const report: ReconcileReport = { examined: 0, actions: [] };
  let wallet: PayoutWallet | undefined;

  let after = "";
  for (;;) {
    const claims = await db.claim.findMany({
      where: { status: "PENDING", updatedAt: { lte: cutoff }, id: { gt: after || undefined } },
      orderBy: { id: "asc" },
      take: BATCH,
      select: { id: true, transactionHash: true, nonce: true, signedTransaction: true, payoutAddress: true },
    });
    if (claims.length === 0) break;
    after = claims[claims.length - 1]!.id;
    for (const claim of claims) {
      report.examined++;
      if (!claim.transactionHash || !claim.signedTransaction || claim.nonce === null || !claim.payoutAddress) {
        const failed = await failClaim(db, claim.id, "The claim request stopped before signing a transfer", true);
        report.actions.push({ claimId: claim.id, action: failed ? "failed" : "skipped" });
        continue;
      }
      wallet ??= new PayoutWallet(payoutConfig(env));
      try {
        report.actions.push({
          claimId: claim.id,
          ...(await settle(
            db,
            wallet,
            claim.id,
            claim.transactionHash as Hex,
            claim.payoutAddress,
            claim.nonce,
            claim.signedTransaction as Hex,
          )),
        });
      } catch (error) {
        report.actions.push({ claimId: claim.id, action: "waiting", detail: shortReason(error) });
      }
    }
    if (claims.length < BATCH) break;
  }
  return report;
}

async function settle(
  db: Db,
  wallet: PayoutWallet,
  claimId: string,
  hash: Hex,
  from: string,
  nonce: number,
  signedTransaction: Hex,
): Promise<{ action: ReconcileAction; detail?: string }> {
  const state = await wallet.inspect(hash, from, nonce);
  switch (state) {
    case "success":
      return { action: (await completeClaim(db, claimId)) ? "completed" : "skipped" };
    case "reverted":
      return { action: (await failClaim(db, claimId, `Transfer ${hash} reverted on chain`)) ? "failed" : "skipped" };
    case "replaced":
      return {
        action: (await failClaim(
          db,
          claimId,
          `Transfer ${hash} was never mined; its nonce ${nonce} was used by another transaction`,
        ))
          ? "failed"
          : "skipped",
      };
    case "pending":
      return { action: "waiting" };
    case "missing": {
      const outcome = await wallet.broadcast(signedTransaction);
      // A refused resend (e.g. the wallet is out of gas money) stays PENDING: the signed transfer remains valid
      // until its nonce is used, so failing the claim could pay it twice.
      return outcome.kind === "sent" ? { action: "rebroadcast" } : { action: "waiting", detail: outcome.reason };
    }
  }
}
