import { createPublicClient, erc20Abi, http, parseEventLogs } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { getReferralFeeBalance } from "@/lib/fees/balance";
import { checkClaimConservation } from "@/lib/fees/check";
import { seedPerpetual } from "@/lib/testing/programs";
import { toPlainString, toUsdcBaseUnits } from "@/lib/money";
import { checkRewardsConservation } from "@/lib/rewards/check";
import { referralStats } from "@/lib/rewards/stats";
import { createTestDatabase } from "@/lib/testing/db";
import { integrationSetup } from "@/lib/testing/integration";
import { blacklistOnTestUsdc, startLocalChain } from "@/scripts/local-chain";
import { BLACKLISTED_WALLET, DEMO_WALLET, seedDemo, type DemoPayouts } from "./seed";

const DAY_MS = 86_400_000;
const { db } = await integrationSetup();
const chain = await startLocalChain({ quiet: true });
afterAll(() => chain.stop());
const payouts: DemoPayouts = {
  env: {
    PAYOUT_RPC_URL: chain.rpcUrl,
    PAYOUT_PRIVATE_KEY: chain.payoutPrivateKey,
    PAYOUT_CHAIN_ID: String(chain.chainId),
    USDC_ADDRESS: chain.usdcAddress,
    PAYOUT_POLL_INTERVAL_MS: "50",
  },
  databaseUrl: db.url,
  blacklist: (address) => blacklistOnTestUsdc(chain, address),
};

async function counts() {
  const p = db.prisma;
  const [accounts, events, ledger, transactions, entries, claims, totals, daily] = await Promise.all([
    p.account.count(),
    p.rewardEvent.count(),
    p.ledgerEntry.count(),
    p.feeTransaction.count(),
    p.feeEntry.count(),
    p.claim.count(),
    p.accountTotal.count(),
    p.accountDaily.count(),
  ]);
  return { accounts, events, ledger, transactions, entries, claims, totals, daily };
}

describe("demo seed", () => {
  it("is a month of activity through the live writers, with the Rift example unclaimed and the books balanced", async () => {
    const now = new Date();
    const first = await seedDemo(db.prisma, { payouts, now });
    expect(first.users).toBe(1 + 5 + 15 + 30);
    expect(first.providers).toBe(1 + 3 + 6 + 6);

    const users = await referralStats(db.prisma, first.user, "USER");
    expect(users.network).toEqual({ direct: 5, secondary: 15, tertiary: 30, total: 50 });
    const providers = await referralStats(db.prisma, first.provider, "PROVIDER");
    expect(providers.network).toEqual({ direct: 3, secondary: 6, tertiary: 6, total: 15 });
    expect(toPlainString(users.earnings.directBonus)).toBe("125");
    expect(toPlainString(providers.earnings.directBonus)).toBe("150");
    // Every one of the 30 days has earnings: the chart is a month, not today's bar.
    for (const stats of [users, providers]) {
      expect(stats.history).toHaveLength(30);
      expect(stats.history.filter((day) => day.total.isZero())).toEqual([]);
      expect(stats.metrics.activeReferrals30d).toBeGreaterThan(0);
    }
    const joined = await db.prisma.account.aggregate({ _min: { createdAt: true }, _max: { referredAt: true } });
    expect(now.getTime() - joined._min.createdAt!.getTime()).toBeGreaterThan(30 * DAY_MS);
    expect(now.getTime() - joined._max.referredAt!.getTime()).toBeGreaterThan(DAY_MS);

    const balance = await getReferralFeeBalance(db.prisma, first.user);
    expect(balance.currencyBreakdown.map((c) => [c.currency, toPlainString(c.amount)])).toEqual([
      ["KES", "150"],
      ["NGN", "600"],
    ]);
    // 150 × 0.0077 + 600 × 0.00063: the Rift example's "about $1.53".
    expect(toPlainString(balance.totalUsd)).toBe("1.533");
    expect(balance.canClaim).toBe(true);

    // The older fees are inside a claim paid more than 7 days ago, by a transfer on the chain.
    const [claim] = await db.prisma.claim.findMany({ where: { accountId: first.user } });
    expect(claim).toMatchObject({ status: "COMPLETED", walletAddress: DEMO_WALLET });
    expect(now.getTime() - claim!.createdAt.getTime()).toBeGreaterThan(seedPerpetual.cooldownDays * 86_400_000);
    expect(claim!.completedAt!.getTime()).toBeGreaterThanOrEqual(claim!.createdAt.getTime());
    expect(claim!.completedAt!.getTime() - claim!.createdAt.getTime()).toBeLessThan(60_000);
    const lines = await db.prisma.claimLine.findMany({ where: { claimId: claim!.id } });
    expect(lines.map((l) => l.currency).sort()).toEqual(["ETB", "GHS", "KES", "NGN", "UGX"]);
    const claimed = await db.prisma.feeEntry.findMany({ where: { claimId: claim!.id }, select: { createdAt: true } });
    expect(claimed.every((e) => e.createdAt < claim!.createdAt)).toBe(true);
    const client = createPublicClient({ transport: http(chain.rpcUrl) });
    const receipt = await client.getTransactionReceipt({ hash: claim!.transactionHash as `0x${string}` });
    expect(receipt.status).toBe("success");
    const [transfer] = parseEventLogs({ abi: erc20Abi, logs: receipt.logs, eventName: "Transfer" });
    expect(transfer!.args.to.toLowerCase()).toBe(DEMO_WALLET);
    expect(transfer!.args.value).toBe(toUsdcBaseUnits(claim!.amountUsd.toString()));

    // One referral's claim failed (its wallet is blacklisted): its fees stayed claimable.
    const failed = await db.prisma.claim.findMany({ where: { status: "FAILED" } });
    expect(failed).toHaveLength(1);
    expect(failed[0]!.walletAddress).toBe(BLACKLISTED_WALLET);
    expect(
      await db.prisma.feeEntry.count({ where: { referrerId: failed[0]!.accountId, claimId: null } }),
    ).toBeGreaterThan(0);

    expect(await checkRewardsConservation(db.prisma)).toEqual([]);
    expect(await checkClaimConservation(db.prisma)).toEqual([]);

    const before = await counts();
    const again = await seedDemo(db.prisma, { payouts, now: new Date(now.getTime() + 3 * DAY_MS) });
    expect(again).toEqual(first);
    expect(await counts()).toEqual(before);
  });

  it("without a chain of its own records neither the past claims nor the fees they paid", async () => {
    const other = await createTestDatabase();
    try {
      const demo = await seedDemo(other.prisma);
      const balance = await getReferralFeeBalance(other.prisma, demo.user);
      expect(balance.currencyBreakdown.map((c) => [c.currency, toPlainString(c.amount)])).toEqual([
        ["KES", "150"],
        ["NGN", "600"],
      ]);
      expect(await other.prisma.claim.count()).toBe(0);
      expect(await checkRewardsConservation(other.prisma)).toEqual([]);
      expect(await checkClaimConservation(other.prisma)).toEqual([]);
    } finally {
      await other.drop();
    }
  });
});
