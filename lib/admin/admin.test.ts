// The operator's page: its session cookie, its figures, and its retry of a failed claim, on a real PostgreSQL
// and a local anvil chain with the test USDC.
import { encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { createApiKey, hashKey, revokeApiKey } from "@/lib/auth/keys";
import { NotFound } from "@/lib/errors";
import { claimReferralFees } from "@/lib/fees/claims";
import { payoutChainSetup, referrerWithFees } from "@/lib/testing/fees";
import { integrationSetup } from "@/lib/testing/integration";
import { NotRetryable, retryFailedClaim } from "./claims";
import { operatorOverview } from "./overview";
import { ADMIN_SESSION_SECONDS, operatorFromCookie, startOperatorSession } from "./session";

const { db, auth } = await integrationSetup();
const kit = await payoutChainSetup(db.prisma, { KES: "0.0077", NGN: "0.00063" });

describe("operator session", () => {
  it("starts only for a live secret key and lasts until the key is revoked", async () => {
    expect(await startOperatorSession(db.prisma, auth.publishableKey)).toBeNull();
    expect(await startOperatorSession(db.prisma, "sk_test_not-a-real-key-at-all")).toBeNull();

    const bootstrap = await startOperatorSession(db.prisma, auth.secretKey);
    expect(await operatorFromCookie(db.prisma, bootstrap!)).toEqual({
      keyId: "bootstrap-secret",
      keyPrefix: auth.secretKey.slice(0, 12),
    });

    const { key, id, prefix } = await createApiKey(db.prisma, "SECRET", "ops laptop", "cli:test");
    const cookie = await startOperatorSession(db.prisma, key);
    expect(await operatorFromCookie(db.prisma, cookie!)).toEqual({ keyId: id, keyPrefix: prefix });
    await revokeApiKey(db.prisma, id, "cli:test");
    expect(await operatorFromCookie(db.prisma, cookie!)).toBeNull();
  });

  it("ends when the bootstrap key is rotated", async () => {
    const cookie = await startOperatorSession(db.prisma, auth.secretKey);
    const before = process.env.BOOTSTRAP_SECRET_KEY;
    process.env.BOOTSTRAP_SECRET_KEY = `${before}-rotated`;
    try {
      expect(await operatorFromCookie(db.prisma, cookie!)).toBeNull();
    } finally {
      process.env.BOOTSTRAP_SECRET_KEY = before;
    }
  });

  it("refuses a tampered, foreign, or expired cookie", async () => {
    const cookie = (await startOperatorSession(db.prisma, auth.secretKey))!;
    expect(await operatorFromCookie(db.prisma, `${cookie.slice(0, -4)}AAAA`)).toBeNull();
    expect(await operatorFromCookie(db.prisma, undefined)).toBeNull();
    // An end user's session cookie is encrypted under next-auth's own salt: it cannot open the operator's page.
    const userSession = await encode({
      token: { sub: "usr_someone", keyId: "bootstrap-secret" },
      secret: process.env.AUTH_SECRET!,
      salt: "authjs.session-token",
    });
    expect(await operatorFromCookie(db.prisma, userSession)).toBeNull();
    // Everything right but the expiry (next-auth sets exp from maxAge and allows 15 s of clock skew), so only
    // the expiry can be what refuses it.
    const sealed = (maxAge: number) =>
      encode({
        token: {
          keyId: "bootstrap-secret",
          keyHash: hashKey(auth.secretKey).slice(0, 16),
          keyPrefix: auth.secretKey.slice(0, 12),
        },
        secret: process.env.AUTH_SECRET!,
        salt: "referral-engine.admin",
        maxAge,
      });
    expect(await operatorFromCookie(db.prisma, await sealed(ADMIN_SESSION_SECONDS))).toEqual({
      keyId: "bootstrap-secret",
      keyPrefix: auth.secretKey.slice(0, 12),
    });
    expect(await operatorFromCookie(db.prisma, await sealed(-60))).toBeNull();
  });
});

describe("retryFailedClaim", () => {
  it("claims a failed claim's released fees again once the cause is fixed, and keeps the failure in the history", async () => {
    const { referrerId, wallet } = await referrerWithFees(db.prisma, [{ amount: "100000", currency: "KES" }]);
    await kit.setBlacklisted(wallet!, true);
    const failed = await claimReferralFees(db.prisma, referrerId);
    expect(failed.status).toBe("FAILED");

    await kit.setBlacklisted(wallet!, false);
    const retried = await retryFailedClaim(db.prisma, failed.id);
    expect(retried).toMatchObject({ status: "COMPLETED", amountUsd: expect.anything() });
    expect(retried.id).not.toBe(failed.id);
    // 0.3% of 100,000 KES = 300 KES at 0.0077 = 2.31 USD, sent once.
    expect(retried.amountUsd.toFixed()).toBe("2.31");
    expect(await kit.usdcBalance(wallet!)).toBe(2_310_000n);
    expect((await db.prisma.claim.findUniqueOrThrow({ where: { id: failed.id } })).status).toBe("FAILED");

    // The failure is now followed by a claim: retrying it again is refused, and nothing more is sent.
    await expect(retryFailedClaim(db.prisma, failed.id)).rejects.toBeInstanceOf(NotRetryable);
    expect(await kit.usdcBalance(wallet!)).toBe(2_310_000n);
  });

  it("refuses a claim that did not fail and an unknown claim", async () => {
    const { referrerId } = await referrerWithFees(db.prisma, [{ amount: "1000", currency: "NGN" }]);
    const completed = await claimReferralFees(db.prisma, referrerId);
    expect(completed.status).toBe("COMPLETED");
    await expect(retryFailedClaim(db.prisma, completed.id)).rejects.toThrow("completed, not failed");
    await expect(retryFailedClaim(db.prisma, "00000000-0000-4000-8000-000000000000")).rejects.toBeInstanceOf(NotFound);
    await expect(retryFailedClaim(db.prisma, "not-a-uuid")).rejects.toBeInstanceOf(NotFound);
  });
});

describe("operatorOverview", () => {
  it("shows totals, rates with their age, the payout wallet's balances and the failed claim still to act on", async () => {
    const { referrerId, wallet } = await referrerWithFees(db.prisma, [{ amount: "50000", currency: "KES" }]);
    await kit.setBlacklisted(wallet!, true);
    const failed = await claimReferralFees(db.prisma, referrerId);
    await kit.setBlacklisted(wallet!, false);

    const view = await operatorOverview(db.prisma);
    const accounts = await db.prisma.account.count();
    expect(view.accounts).toMatchObject({ total: accounts, estimated: false });
    expect(view.unclaimedFees.find((f) => f.currency === "KES")).toMatchObject({ entries: 1 });
    expect(view.unclaimedFees.find((f) => f.currency === "KES")!.amount.toFixed()).toBe("150");
    expect(view.claims.find((c) => c.status === "FAILED")!.count).toBeGreaterThanOrEqual(2);
    expect(view.rates.list.find((r) => r.currency === "KES")).toMatchObject({ source: "test", stale: false });
    expect(view.rates.list.find((r) => r.currency === "UGX")).toMatchObject({ usd: null, stale: true });
    expect(view.payouts.wallet).toMatchObject({ configured: true, chainId: kit.chain.chainId, error: null });
    if (view.payouts.wallet.configured) {
      expect(view.payouts.wallet.address.toLowerCase()).toBe(kit.chain.payoutAddress.toLowerCase());
      expect(view.payouts.wallet.usdc!.greaterThan(0)).toBe(true);
      expect(view.payouts.wallet.eth!.greaterThan(0)).toBe(true);
    }
    // Only the failure nobody has followed up: the one retried above is not listed.
    expect(view.attention.map((c) => c.id)).toEqual([failed.id]);
    expect(view.attention[0]).toMatchObject({ status: "FAILED", accountId: referrerId, transactionHash: null });
    expect(view.recentTransactions[0]).toMatchObject({ currency: "KES" });
  });

  it("says why the wallet cannot be shown instead of failing the page", async () => {
    const noWallet = await operatorOverview(db.prisma, { ...process.env, PAYOUT_PRIVATE_KEY: "" });
    expect(noWallet.payouts.wallet).toEqual({
      configured: false,
      reason: expect.stringContaining("PAYOUT_PRIVATE_KEY"),
    });

    const rpcDown = await operatorOverview(db.prisma, { ...process.env, PAYOUT_RPC_URL: "http://127.0.0.1:9" });
    expect(rpcDown.payouts.wallet).toMatchObject({
      configured: true,
      usdc: null,
      eth: null,
      error: expect.stringContaining("127.0.0.1:9"),
    });
  });
});
