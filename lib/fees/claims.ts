/**
 * Claiming referral fees, exactly once (docs/perpetual-earnings.md, "Exactly once"):
 *
 * 1. One transaction locks the account row, checks the in-flight claim and the cooldown, attaches every
 *    unclaimed entry to a new PENDING claim and stores the rate used per currency. Any refusal rolls it back:
 *    no claim record, nothing moved.
 * 2. The transfer is simulated; a revert fails the claim (entries released).
 * 3. Under the payout wallet's lock it is signed, its hash and bytes stored, and only then broadcast.
 * 4. A receipt completes or fails the claim; no receipt in time leaves it PENDING for the reconciler, which
 *    settles it by hash and never signs a second transfer.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import type { Hex } from "viem";
import { Prisma, type Db } from "@/lib/db/client";
import { DomainError, NotFound } from "@/lib/errors";
import { fxMaxAgeSeconds, isStale, loadRates } from "@/lib/fx/rates";
import { dec, Decimal, sum, toPlainString, toUsdcBaseUnits, type CurrencyCode } from "@/lib/money";
import { metrics } from "@/lib/observability/metrics";
import { programInForce } from "@/lib/programs/store";
import { payoutConfig, type Env } from "@/lib/payouts/config";
import { AccountFrozen } from "@/lib/risk/freeze";
import { PayoutWallet, shortReason, type BroadcastOutcome, type SignedTransfer } from "@/lib/payouts/transfer";
import { withPayoutWalletLock } from "@/lib/payouts/wallet-lock";
import { UNCLAIMED } from "./balance";
import { completeClaim, failClaim, readClaimResult, storeSignedTransfer, type ClaimResult } from "./claim-state";
import { claimAmountUsd, cooldownMessage, nextClaimDate, usdValue } from "./rules";
import { walletHoldUntil, WalletRecentlyChanged } from "./wallet-hold";

export class CooldownActive extends DomainError {
  constructor(
    readonly nextClaimDate: Date,
    cooldownDays: number,
  ) {
    super("claim_cooldown", cooldownMessage(nextClaimDate, cooldownDays), undefined, {
      fields: { nextClaimDate: nextClaimDate.toISOString() },
    });
  }
}

export class NothingToClaim extends DomainError {
  constructor() {
    super("nothing_to_claim", "No accumulated referral fees to claim");
  }
}

export class NoWalletLinked extends DomainError {
  constructor() {
    super("no_wallet_linked", "No wallet linked", "Link a Base wallet (PUT /api/user/me/wallet) before claiming");
  }
}

export class ClaimInProgress extends DomainError {
  constructor(claimId: string) {
    super(
      "claim_in_progress",
      "A claim is already in progress",
      `Claim ${claimId} is still being paid; it settles on its own`,
    );
  }
}

export class RatesUnavailable extends DomainError {
  constructor(currencies: string[], maxAgeSeconds: number) {
    super(
      "rates_unavailable",
      "Exchange rate unavailable",
      `No exchange rate newer than ${maxAgeSeconds} s for ${currencies.join(", ")}; nothing was claimed, try again later`,
    );
  }
}

export class PayoutsPaused extends DomainError {
  constructor() {
    super(
      "payouts_paused",
      "Payouts paused",
      "Claims are paused by the operator; nothing was claimed, try again later",
    );
  }
}

export class BelowMinimumClaim extends DomainError {
  constructor(amountUsd: Decimal, minimumUsd: Decimal) {
    super(
      "claim_below_minimum",
      "Claim amount below minimum",
      `The accumulated fees are worth $${amountUsd.toFixed()} in USDC; the minimum claim is $${minimumUsd.toFixed()}`,
    );
  }
}

/** What the environment decides about claims; the rates (cooldown, minimum) are the perpetual program's. */
export interface ClaimSettings {
  paused: boolean;
  fxMaxAgeSeconds: number;
}

export function claimSettings(env: Env = process.env): ClaimSettings {
  const paused = (env.PAYOUTS_PAUSED ?? "").trim().toLowerCase();
  if (!["", "true", "false", "1", "0"].includes(paused)) {
    throw new Error(`PAYOUTS_PAUSED must be true or false, got "${env.PAYOUTS_PAUSED}"`);
  }
  return { paused: paused === "true" || paused === "1", fxMaxAgeSeconds: fxMaxAgeSeconds(env) };
}

export interface ClaimOptions {
  env?: Env;
  /** The PostgreSQL URL for the payout wallet's lock connection; DATABASE_URL by default. */
  databaseUrl?: string;
  now?: Date;
}

/**
 * Claims every unclaimed fee entry of the account as one USDC transfer to its linked wallet.
 * @returns the claim: COMPLETED (receipt success), FAILED (definite failure; entries claimable again) or PENDING
 *   (no receipt in time; the reconciler settles it)
 * @throws CooldownActive, NothingToClaim, NoWalletLinked, BelowMinimumClaim, WalletRecentlyChanged (400),
 *   AccountFrozen (403), ClaimInProgress (409),
 *   RatesUnavailable, PayoutsPaused, PayoutsUnavailable (503): each before any claim is recorded
 */
export async function claimReferralFees(db: Db, accountId: string, options: ClaimOptions = {}): Promise<ClaimResult> {
  const env = options.env ?? process.env;
  const settings = claimSettings(env);
  if (settings.paused) throw new PayoutsPaused();
  const config = payoutConfig(env);
  const databaseUrl = options.databaseUrl ?? env.DATABASE_URL;
  if (!databaseUrl)
    throw new Error("claimReferralFees needs the database URL (DATABASE_URL) for the payout wallet lock");
  // A claim recorded as of another moment (the demo's past claim) completes as long after it as paying took.
  const started = Date.now();
  const now = options.now ?? new Date(started);
  const clock = () => new Date(now.getTime() + Date.now() - started);
  const claim = await openClaim(db, accountId, settings, now);
  return payClaim(db, claim, new PayoutWallet(config), databaseUrl, clock);
}

export interface OpenedClaim {
  id: string;
  amountUsd: Decimal;
  walletAddress: string;
}

/**
 * Step 1 alone: records a PENDING claim holding every unclaimed entry, with its lines and rates, or refuses.
 * `claimReferralFees` pays it next; on its own it is what a request that died before signing leaves behind.
 */
export async function openClaim(db: Db, accountId: string, settings: ClaimSettings, now: Date): Promise<OpenedClaim> {
  const opened = await db.$transaction(
    async (tx) => {
      // Serializes claims of one account: a second request waits here, then sees the first one's claim.
      const [account] = await tx.$queryRaw<
        { wallet_address: string | null; wallet_changed_at: Date | null; frozen_at: Date | null }[]
      >`
        SELECT wallet_address, wallet_changed_at, frozen_at FROM account WHERE id = ${accountId} FOR UPDATE`;
      if (!account) throw new NotFound("Account", accountId);
      // Under the row lock the freeze also takes (lib/risk/freeze.ts): a freeze committed before this is seen.
      if (account.frozen_at !== null) throw new AccountFrozen();
      // Read under the row lock: a wallet replaced by a concurrent request is seen, or waits for this claim.
      const holdUntil = walletHoldUntil(account.wallet_changed_at, now);
      if (holdUntil) throw new WalletRecentlyChanged(holdUntil);

      const inFlight = await tx.claim.findFirst({ where: { accountId, status: "PENDING" }, select: { id: true } });
      if (inFlight) throw new ClaimInProgress(inFlight.id);
      const { document: rules } = await programInForce(tx, "perpetual");
      const lastCompleted = await tx.claim.findFirst({
        where: { accountId, status: "COMPLETED" },
        orderBy: { createdAt: "desc" },
        select: { createdAt: true },
      });
      if (lastCompleted) {
        const next = nextClaimDate(rules, lastCompleted.createdAt);
        if (now < next) throw new CooldownActive(next, rules.cooldownDays);
      }
      const anyEntry = await tx.feeEntry.findFirst({
        where: { referrerId: accountId, ...UNCLAIMED, availableAt: { lte: now } },
        select: { id: true },
      });
      if (!anyEntry) throw new NothingToClaim();
      if (!account.wallet_address) throw new NoWalletLinked();

      const claimId = randomUUID();
      await tx.claim.create({
        data: {
          id: claimId,
          accountId,
          status: "PENDING",
          amountUsd: "0",
          walletAddress: account.wallet_address,
          createdAt: now,
          updatedAt: now,
        },
      });
      // Entries recorded after this statement started stay unclaimed for the next claim; the lines below are
      // computed from exactly the rows attached here.
      await tx.feeEntry.updateMany({
        where: { referrerId: accountId, ...UNCLAIMED, availableAt: { lte: now } },
        data: { claimId },
      });
      const totals = await tx.feeEntry.groupBy({
        by: ["currency"],
        where: { claimId },
        _sum: { amountLocal: true },
        _count: { _all: true },
      });

      const rates = await loadRates(tx);
      const unusable = totals
        .map((t) => t.currency)
        .filter((currency) => {
          const rate = rates.get(currency);
          return !rate || isStale(rate, now, settings.fxMaxAgeSeconds);
        });
      if (unusable.length > 0) throw new RatesUnavailable(unusable, settings.fxMaxAgeSeconds);

      const lines = totals.map((t) => {
        const rate = rates.get(t.currency)!;
        const amountLocal = dec(String(t._sum.amountLocal));
        return {
          claimId,
          currency: t.currency as CurrencyCode,
          amountLocal,
          usdRate: rate.usdRate,
          rateSource: rate.source,
          rateUpdatedAt: rate.updatedAt,
          amountUsd: usdValue(amountLocal, rate.usdRate),
          entryCount: t._count._all,
        };
      });
      // Clawbacks and negative adjustments net against fees per currency; what is owed must be positive.
      const netUsd = sum(lines.map((l) => l.amountUsd));
      if (netUsd.isZero() || netUsd.isNegative()) throw new NothingToClaim();
      const amountUsd = claimAmountUsd(lines.map((l) => l.amountUsd));
      // The program's minimum is at least one USDC base unit, so a claim that rounds to nothing is never sent.
      if (amountUsd.lessThan(rules.minClaimUsd)) throw new BelowMinimumClaim(amountUsd, rules.minClaimUsd);
      await tx.claimLine.createMany({
        data: lines.map((l) => ({
          ...l,
          amountLocal: toPlainString(l.amountLocal),
          usdRate: toPlainString(l.usdRate),
          amountUsd: toPlainString(l.amountUsd),
        })),
      });
      await tx.claim.update({ where: { id: claimId }, data: { amountUsd: toPlainString(amountUsd) } });
      return { id: claimId, amountUsd, walletAddress: account.wallet_address };
    },
    // Twenty requests of one account queue on its row lock; each holds it for a few queries.
    { maxWait: 10_000, timeout: 30_000, isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted },
  );
  metrics().claims.inc({ status: "PENDING" });
  return opened;
}

async function payClaim(
  db: Db,
  claim: OpenedClaim,
  wallet: PayoutWallet,
  databaseUrl: string,
  clock: () => Date,
): Promise<ClaimResult> {
  const units = toUsdcBaseUnits(claim.amountUsd);
  try {
    await wallet.simulateTransfer(claim.walletAddress, units);
  } catch (error) {
    await failClaim(db, claim.id, `Transfer would fail: ${shortReason(error)}`);
    return readClaimResult(db, claim.id);
  }

  let signed: SignedTransfer | undefined;
  let broadcastStarted = false;
  let outcome: BroadcastOutcome | "abandoned";
  try {
    outcome = await withPayoutWalletLock(
      databaseUrl,
      { address: wallet.address, chainId: wallet.config.chainId },
      wallet.config.walletLockTimeoutMs,
      async () => {
        signed = await wallet.signTransfer(claim.walletAddress, units);
        if (!(await storeSignedTransfer(db, claim.id, signed, wallet.address))) return "abandoned";
        broadcastStarted = true;
        return wallet.broadcast(signed.serialized);
      },
    );
  } catch (error) {
    // Before the broadcast nothing has left this process: failing the claim cannot lose or double a transfer.
    if (!broadcastStarted) {
      await failClaim(db, claim.id, `Transfer not sent: ${shortReason(error)}`);
      return readClaimResult(db, claim.id);
    }
    outcome = { kind: "unknown", reason: shortReason(error) };
  }
  if (outcome === "abandoned" || !signed) return readClaimResult(db, claim.id);

  if (outcome.kind === "rejected") {
    // Refused by the node; unless a node has it after all, it can never be mined. If the chain cannot be asked
    // now, the claim stays PENDING and the reconciler asks later.
    const state = await wallet.inspect(signed.hash, wallet.address, signed.nonce).catch(() => "pending" as const);
    if (state === "missing" || state === "replaced" || state === "reverted") {
      await failClaim(db, claim.id, `Transfer rejected: ${outcome.reason}`);
    } else if (state === "success") {
      await completeClaim(db, claim.id, clock());
    }
    return readClaimResult(db, claim.id);
  }

  await settleByReceipt(db, wallet, claim.id, signed.hash, clock);
  return readClaimResult(db, claim.id);
}

/** Waits for the receipt; with none in time (or an RPC in trouble) the claim stays PENDING for the reconciler. */
async function settleByReceipt(
  db: Db,
  wallet: PayoutWallet,
  claimId: string,
  hash: Hex,
  clock: () => Date,
): Promise<void> {
  const status = await wallet.waitForReceipt(hash, wallet.config.receiptTimeoutMs).catch(() => null);
  if (status === "success") await completeClaim(db, claimId, clock());
  else if (status === "reverted") await failClaim(db, claimId, `Transfer ${hash} reverted on chain`);
}
