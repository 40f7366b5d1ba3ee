// Claims end to end against a real PostgreSQL and a local anvil chain with the project's TestUSDC.
import { describe, expect, it } from "vitest";
import pg from "pg";
import { encodeFunctionData, parseGwei } from "viem";
import { checkClaimConservation } from "@/lib/fees/check";
import { balanceExample } from "@/lib/fees/schemas";
import { walletLockName } from "@/lib/payouts/wallet-lock";
import { updateProgram } from "@/lib/programs/store";
import {
  addFees,
  newWalletAddress,
  payoutChainSetup,
  payoutEnv,
  referrerWithFees,
  setRates,
  waitFor,
} from "@/lib/testing/fees";
import { usingRealPostgres } from "@/lib/testing/db";
import { call } from "@/lib/testing/http";
import { integrationSetup } from "@/lib/testing/integration";
import { testUsdcAbi } from "@/scripts/local-chain";
import { GET as balanceRoute } from "../balance/route";
import { GET as claimsRoute } from "../claims/route";
import { GET as entriesRoute } from "../entries/route";
import { PUT as replaceWalletRoute } from "../../accounts/[id]/wallet/route";
import { POST as claimRoute } from "./route";

const { db, auth } = await integrationSetup();
const kit = await payoutChainSetup(db.prisma, { KES: "0.0077", NGN: "0.00063", UGX: "0.00027", GHS: "0.065" });

const claim = async (accountId: string) =>
  call(claimRoute, { method: "POST", path: "/api/referral-fees/claim", headers: await auth.as(accountId) });
const balance = async (accountId: string) =>
  (await call(balanceRoute, { path: "/api/referral-fees/balance", headers: await auth.as(accountId) })).json;
const entries = async (accountId: string) =>
  (await call(entriesRoute, { path: "/api/referral-fees/entries", headers: await auth.as(accountId) })).json;
const claims = async (accountId: string) =>
  (await call(claimsRoute, { path: "/api/referral-fees/claims", headers: await auth.as(accountId) })).json;
const claimCount = (accountId: string) => db.prisma.claim.count({ where: { accountId } });

/** Restores the environment each test may have changed. */
function resetEnv() {
  for (const key of [
    "PAYOUTS_PAUSED",
    "PAYOUT_PRIVATE_KEY",
    "FX_MAX_AGE_SECONDS",
    "PAYOUT_WALLET_LOCK_TIMEOUT_MS",
    "WALLET_CHANGE_HOLD_HOURS",
  ]) {
    delete process.env[key];
  }
  Object.assign(process.env, payoutEnv(kit.chain));
}

describe("POST /api/referral-fees/claim on a local chain", () => {
  it("pays the seed's example: 150 KES + 600 NGN → $1.533 in USDC, to the base unit", async () => {
    const { referrerId, wallet } = await referrerWithFees(db.prisma, [
      { amount: "50000", currency: "KES" },
      { amount: "200000", currency: "NGN" },
    ]);

    const before = await balance(referrerId);
    // The reference's example is this very balance.
    expect(before).toEqual(balanceExample);

    const res = await claim(referrerId);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      id: expect.any(String),
      amountUsd: 1.533,
      transactionHash: expect.stringMatching(/^0x[0-9a-f]{64}$/),
      status: "COMPLETED",
    });

    expect(await kit.usdcBalance(wallet!)).toBe(1_533_000n);
    const transfers = await kit.transfersTo(wallet!);
    expect(transfers).toEqual([
      { value: 1_533_000n, from: kit.chain.payoutAddress.toLowerCase(), hash: res.json.transactionHash },
    ]);

    // Claimed entries leave the balance and the list, and stay in the database as the claim's audit trail.
    const after = await balance(referrerId);
    const stored = await db.prisma.claim.findUniqueOrThrow({
      where: { id: res.json.id },
      include: { lines: true, entries: true },
    });
    expect(after).toMatchObject({ totalUsd: 0, currencyBreakdown: [], entryCount: 0, canClaim: false });
    expect(after.nextClaimDate).toBe(new Date(stored.createdAt.getTime() + 7 * 86_400_000).toISOString());
    expect((await entries(referrerId)).entries).toEqual([]);
    expect(stored.entries).toHaveLength(2);
    expect(
      stored.lines
        .map((l) => [
          l.currency,
          l.amountLocal.toString(),
          l.usdRate.toString(),
          l.amountUsd.toString(),
          l.entryCount,
          l.rateSource,
        ])
        .sort(),
    ).toEqual([
      ["KES", "150", "0.0077", "1.155", 1, "test"],
      ["NGN", "600", "0.00063", "0.378", 1, "test"],
    ]);

    const history = await claims(referrerId);
    expect(history.claims).toEqual([
      {
        id: res.json.id,
        userId: referrerId,
        amountKes: 0,
        amountUsd: 1.533,
        exchangeRate: 0,
        transactionHash: res.json.transactionHash,
        status: "COMPLETED",
        createdAt: stored.createdAt.toISOString(),
        completedAt: stored.completedAt!.toISOString(),
      },
    ]);
    expect(await checkClaimConservation(db.prisma)).toEqual([]);
  });

  it("rounds the exact total down to whole USDC base units and pays exactly that", async () => {
    // 0.303 UGX × 3 = 0.909 UGX at 0.00027 = $0.00024543 → 245 base units; plus 1.5 GHS at 0.065 = $0.0975.
    const { referrerId, wallet } = await referrerWithFees(db.prisma, [
      { amount: "101", currency: "UGX" },
      { amount: "101", currency: "UGX" },
      { amount: "101", currency: "UGX" },
      { amount: "500", currency: "GHS" },
    ]);
    expect((await balance(referrerId)).totalUsd).toBe(0.09774543);
    const res = await claim(referrerId);
    expect(res.json).toMatchObject({ amountUsd: 0.097745, status: "COMPLETED" });
    expect(await kit.usdcBalance(wallet!)).toBe(97_745n);
  });

  it("refuses a second claim within 7 days with the seed's exact message and records nothing", async () => {
    const { referrerId, referredId } = await referrerWithFees(db.prisma, [{ amount: "1000", currency: "KES" }]);
    const first = await claim(referrerId);
    expect(first.json.status).toBe("COMPLETED");
    const { createdAt } = await db.prisma.claim.findUniqueOrThrow({ where: { id: first.json.id } });
    await addFees(db.prisma, referredId, [{ amount: "2000", currency: "KES" }]);

    const second = await claim(referrerId);
    const next = new Date(createdAt.getTime() + 7 * 86_400_000).toISOString();
    expect(second.status).toBe(400);
    expect(second.json).toEqual({
      error: `Claims allowed once per week. Next claim available ${next}`,
      message: `Claims allowed once per week. Next claim available ${next}`,
      code: "claim_cooldown",
      nextClaimDate: next,
    });
    expect(next).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(await claimCount(referrerId)).toBe(1);
    expect((await balance(referrerId)).currencyBreakdown).toEqual([{ currency: "KES", amount: 6, amountUsd: 0.0462 }]);

    // Seven days after the last COMPLETED claim the next one goes through.
    await db.prisma.claim.update({
      where: { id: first.json.id },
      data: { createdAt: new Date(Date.now() - 7 * 86_400_000 - 1000) },
    });
    const third = await claim(referrerId);
    expect(third.json).toMatchObject({ status: "COMPLETED", amountUsd: 0.0462 });
  });

  it("refuses with the seed's exact message when there is nothing to claim", async () => {
    const { referrerId } = await referrerWithFees(db.prisma, []);
    const res = await claim(referrerId);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      error: "No accumulated referral fees to claim",
      message: "No accumulated referral fees to claim",
      code: "nothing_to_claim",
    });
    expect(await claimCount(referrerId)).toBe(0);
  });

  it("refuses without a linked wallet and records nothing", async () => {
    const { referrerId } = await referrerWithFees(db.prisma, [{ amount: "1000", currency: "KES" }], { wallet: null });
    const res = await claim(referrerId);
    expect(res.status).toBe(400);
    expect(res.json.error).toBe("No wallet linked");
    expect(await claimCount(referrerId)).toBe(0);
    expect((await balance(referrerId)).entryCount).toBe(1);
  });

  it("holds claims for WALLET_CHANGE_HOLD_HOURS after the wallet is replaced, then pays the new wallet", async () => {
    const { referrerId } = await referrerWithFees(db.prisma, [{ amount: "1000", currency: "KES" }]);
    const replacement = newWalletAddress();
    const replaced = await call(replaceWalletRoute, {
      method: "PUT",
      path: `/api/accounts/${referrerId}/wallet`,
      params: { id: referrerId },
      headers: auth.operator,
      body: { address: replacement },
    });
    expect(replaced.status).toBe(200);
    const changedAt = (await db.prisma.account.findUniqueOrThrow({ where: { id: referrerId } })).walletChangedAt!;
    const until = new Date(changedAt.getTime() + 48 * 3600_000).toISOString();

    const res = await claim(referrerId);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      error: "Wallet recently changed",
      code: "wallet_recently_changed",
      walletHoldUntil: until,
    });
    expect(await claimCount(referrerId)).toBe(0);
    expect(await balance(referrerId)).toMatchObject({ canClaim: false, walletHoldUntil: until, entryCount: 1 });

    process.env.WALLET_CHANGE_HOLD_HOURS = "1";
    try {
      expect((await claim(referrerId)).status).toBe(400);
      await db.prisma.account.update({
        where: { id: referrerId },
        data: { walletChangedAt: new Date(Date.now() - 3600_000 - 1000) },
      });
      expect(await balance(referrerId)).toMatchObject({ canClaim: true, walletHoldUntil: null });
      const paid = await claim(referrerId);
      expect(paid.json.status).toBe("COMPLETED");
      expect(await kit.usdcBalance(replacement)).toBe(23_100n);
    } finally {
      resetEnv();
    }
  });

  it("starts no hold on the first link of a wallet", async () => {
    const { referrerId } = await referrerWithFees(db.prisma, [{ amount: "1000", currency: "KES" }], { wallet: null });
    const wallet = newWalletAddress();
    const linked = await call(replaceWalletRoute, {
      method: "PUT",
      path: `/api/accounts/${referrerId}/wallet`,
      params: { id: referrerId },
      headers: auth.operator,
      body: { address: wallet },
    });
    expect(linked.status).toBe(200);
    expect((await claim(referrerId)).json.status).toBe("COMPLETED");
  });

  it("refuses (503) a claim whose rate is older than FX_MAX_AGE_SECONDS or missing, and loses nothing", async () => {
    const { referrerId, referredId } = await referrerWithFees(db.prisma, [{ amount: "1000", currency: "KES" }]);
    process.env.FX_MAX_AGE_SECONDS = "60";
    await db.prisma.fxRate.update({ where: { currency: "KES" }, data: { updatedAt: new Date(Date.now() - 61_000) } });
    try {
      const stale = await claim(referrerId);
      expect(stale.status).toBe(503);
      expect(stale.json.error).toBe("Exchange rate unavailable");
      expect(stale.json.message).toContain("KES");
    } finally {
      await setRates(db.prisma, { KES: "0.0077" });
      resetEnv();
    }
    await addFees(db.prisma, referredId, [{ amount: "1000", currency: "ETB" }]);
    const missing = await claim(referrerId);
    expect(missing.status).toBe(503);
    expect(missing.json.message).toContain("ETB");
    expect(await claimCount(referrerId)).toBe(0);
    expect(await db.prisma.feeEntry.count({ where: { referrerId, claimId: null } })).toBe(2);
    // A currency without a rate shows at $0 and is named, not hidden.
    expect(await balance(referrerId)).toMatchObject({
      totalUsd: 0.0231,
      currencyBreakdown: [
        { currency: "KES", amount: 3, amountUsd: 0.0231 },
        { currency: "ETB", amount: 3, amountUsd: 0 },
      ],
      unpricedCurrencies: ["ETB"],
    });
  });

  it("refuses (503) while payouts are paused or not configured, and records nothing", async () => {
    const { referrerId } = await referrerWithFees(db.prisma, [{ amount: "1000", currency: "KES" }]);
    try {
      process.env.PAYOUTS_PAUSED = "true";
      const paused = await claim(referrerId);
      expect([paused.status, paused.json.error]).toEqual([503, "Payouts paused"]);
      resetEnv();
      delete process.env.PAYOUT_PRIVATE_KEY;
      const unconfigured = await claim(referrerId);
      expect([unconfigured.status, unconfigured.json.error]).toEqual([503, "Payouts unavailable"]);
    } finally {
      resetEnv();
    }
    expect(await claimCount(referrerId)).toBe(0);
    expect((await claim(referrerId)).json.status).toBe("COMPLETED");
  });

  it("refuses a claim below the minimum, including one that rounds to 0 base units", async () => {
    // 1 UGX → 0.003 UGX × 0.00027 = $0.00000081: less than one USDC base unit.
    const tiny = await referrerWithFees(db.prisma, [{ amount: "1", currency: "UGX" }]);
    const res = await claim(tiny.referrerId);
    expect(res.status).toBe(400);
    expect(res.json.error).toBe("Claim amount below minimum");
    expect(await claimCount(tiny.referrerId)).toBe(0);

    const small = await referrerWithFees(db.prisma, [{ amount: "1000", currency: "KES" }]);
    await updateProgram(db.prisma, "perpetual", { minClaimUsd: 5 }, "cli:test");
    try {
      const below = await claim(small.referrerId);
      expect(below.status).toBe(400);
      expect(below.json.message).toContain("minimum claim is $5");
    } finally {
      await updateProgram(db.prisma, "perpetual", { minClaimUsd: "0.000001" }, "cli:test");
    }
    expect(await claimCount(small.referrerId)).toBe(0);
  });

  it("needs a signed-in user", async () => {
    expect((await call(claimRoute, { method: "POST", path: "/api/referral-fees/claim" })).status).toBe(401);
    expect(
      (await call(claimRoute, { method: "POST", path: "/api/referral-fees/claim", headers: auth.operator })).status,
    ).toBe(403);
  });

  it("fails the claim when the transfer would revert (blacklisted wallet), keeps the entries, then pays once the cause is gone", async () => {
    const { referrerId, wallet } = await referrerWithFees(db.prisma, [{ amount: "50000", currency: "KES" }]);
    await kit.setBlacklisted(wallet!, true);
    const failed = await claim(referrerId);
    expect(failed.status).toBe(200);
    expect(failed.json).toEqual({ id: expect.any(String), amountUsd: 1.155, transactionHash: null, status: "FAILED" });
    expect((await db.prisma.claim.findUniqueOrThrow({ where: { id: failed.json.id } })).failureReason).toContain(
      "blacklisted",
    );

    expect(await balance(referrerId)).toMatchObject({
      totalUsd: 1.155,
      entryCount: 1,
      canClaim: true,
      nextClaimDate: null,
    });
    expect((await entries(referrerId)).entries).toHaveLength(1);
    expect((await claims(referrerId)).claims).toEqual([
      expect.objectContaining({ id: failed.json.id, status: "FAILED", transactionHash: null, completedAt: null }),
    ]);
    expect(await kit.transfersTo(wallet!)).toEqual([]);

    await kit.setBlacklisted(wallet!, false);
    const paid = await claim(referrerId);
    expect(paid.json).toMatchObject({ amountUsd: 1.155, status: "COMPLETED" });
    expect((await kit.transfersTo(wallet!)).map((t) => t.value)).toEqual([1_155_000n]);
    expect(await checkClaimConservation(db.prisma)).toEqual([]);
  });

  it("fails the claim when the transfer reverts on chain after it was sent, and releases the entries", async () => {
    const { referrerId, wallet } = await referrerWithFees(db.prisma, [{ amount: "10000", currency: "KES" }]);
    await kit.rpc("evm_setAutomine", [false]);
    try {
      const pending = claim(referrerId);
      // Once the transfer waits in the mempool, the owner blacklists the wallet with a higher tip, so the
      // blacklisting is mined first in the same block and the transfer reverts.
      const hash = await waitFor(async () => {
        const row = await db.prisma.claim.findFirst({
          where: { accountId: referrerId },
          select: { transactionHash: true },
        });
        return (
          row?.transactionHash &&
          (await kit.client.getTransaction({ hash: row.transactionHash as `0x${string}` }).catch(() => null)) &&
          row.transactionHash
        );
      });
      await kit.owner.writeContract({
        address: kit.chain.usdcAddress,
        abi: testUsdcAbi,
        functionName: "blacklist",
        args: [wallet as `0x${string}`],
        maxPriorityFeePerGas: parseGwei("50"),
        maxFeePerGas: parseGwei("100"),
      });
      await kit.rpc("evm_mine");
      const res = await pending;
      expect(res.json).toMatchObject({ status: "FAILED", transactionHash: null });
      expect((await kit.client.getTransactionReceipt({ hash: hash as `0x${string}` })).status).toBe("reverted");
    } finally {
      await kit.rpc("evm_setAutomine", [true]);
      await kit.setBlacklisted(wallet!, false);
    }
    expect(await balance(referrerId)).toMatchObject({ entryCount: 1, canClaim: true });
    expect(await kit.transfersTo(wallet!)).toEqual([]);
  });

  it("fails the claim when the payout wallet lacks the USDC, and pays after it is refilled", async () => {
    const { referrerId, wallet } = await referrerWithFees(db.prisma, [{ amount: "50000", currency: "KES" }]);
    const payout = kit.chain.payoutAddress;
    const held = await kit.usdcBalance(payout);
    // Burn to the owner: everything but one base unit.
    await kit.rpc("anvil_impersonateAccount", [payout]);
    const drain = (await kit.rpc("eth_sendTransaction", [
      {
        from: payout,
        to: kit.chain.usdcAddress,
        data: encodeFunctionData({
          abi: testUsdcAbi,
          functionName: "transfer",
          args: [kit.owner.account.address, held - 1n],
        }),
      },
    ])) as `0x${string}`;
    await kit.client.waitForTransactionReceipt({ hash: drain });
    await kit.rpc("anvil_stopImpersonatingAccount", [payout]);

    const failed = await claim(referrerId);
    expect(failed.json).toMatchObject({ status: "FAILED", transactionHash: null });
    expect((await db.prisma.claim.findUniqueOrThrow({ where: { id: failed.json.id } })).failureReason).toContain(
      "exceeds balance",
    );

    const refill = await kit.owner.writeContract({
      address: kit.chain.usdcAddress,
      abi: testUsdcAbi,
      functionName: "mint",
      args: [payout, held],
    });
    await kit.client.waitForTransactionReceipt({ hash: refill });
    expect((await claim(referrerId)).json.status).toBe("COMPLETED");
    expect((await kit.transfersTo(wallet!)).length).toBe(1);
  });

  it("fails the claim when the node refuses the signed transfer (no ETH for gas), and pays after funding", async () => {
    const { referrerId, wallet } = await referrerWithFees(db.prisma, [{ amount: "50000", currency: "KES" }]);
    const payout = kit.chain.payoutAddress;
    const eth = (await kit.client.getBalance({ address: payout })).toString(16);
    await kit.rpc("anvil_setBalance", [payout, "0x0"]);
    try {
      const failed = await claim(referrerId);
      expect(failed.json).toMatchObject({ status: "FAILED", transactionHash: null });
      // Signed and stored, then refused by the node: the stored hash is not shown for a FAILED claim.
      const stored = await db.prisma.claim.findUniqueOrThrow({ where: { id: failed.json.id } });
      expect(stored.transactionHash).not.toBeNull();
      expect(stored.failureReason).toMatch(/insufficient funds/i);
      expect(await balance(referrerId)).toMatchObject({ entryCount: 1, canClaim: true });
    } finally {
      await kit.rpc("anvil_setBalance", [payout, `0x${eth}`]);
    }
    expect((await claim(referrerId)).json.status).toBe("COMPLETED");
    expect((await kit.transfersTo(wallet!)).length).toBe(1);
  });

  it.skipIf(!usingRealPostgres)(
    "fails the claim without sending when another instance keeps the payout wallet locked",
    async () => {
      const { referrerId, wallet } = await referrerWithFees(db.prisma, [{ amount: "50000", currency: "KES" }]);
      const other = new pg.Client({ connectionString: db.url });
      await other.connect();
      await other.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [
        walletLockName({ address: kit.chain.payoutAddress, chainId: kit.chain.chainId }),
      ]);
      process.env.PAYOUT_WALLET_LOCK_TIMEOUT_MS = "300";
      try {
        const res = await claim(referrerId);
        expect(res.json).toMatchObject({ status: "FAILED", transactionHash: null });
        const stored = await db.prisma.claim.findUniqueOrThrow({ where: { id: res.json.id } });
        expect(stored).toMatchObject({ transactionHash: null, nonce: null });
        expect(stored.failureReason).toContain("stayed locked");
        expect(await balance(referrerId)).toMatchObject({ entryCount: 1, canClaim: true });
      } finally {
        await other.end();
        resetEnv();
      }
      expect((await claim(referrerId)).json.status).toBe("COMPLETED");
      expect((await kit.transfersTo(wallet!)).length).toBe(1);
    },
  );

  it.skipIf(!usingRealPostgres)(
    "answers 20 simultaneous claims of one account with one claim and one transfer",
    async () => {
      const { referrerId, wallet } = await referrerWithFees(db.prisma, [
        { amount: "50000", currency: "KES" },
        { amount: "200000", currency: "NGN" },
      ]);
      const headers = await auth.as(referrerId);
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          call(claimRoute, { method: "POST", path: "/api/referral-fees/claim", headers }),
        ),
      );
      const ok = results.filter((r) => r.status === 200);
      expect(ok).toHaveLength(1);
      expect(ok[0]!.json).toMatchObject({ amountUsd: 1.533, status: "COMPLETED" });
      for (const refused of results.filter((r) => r.status !== 200)) {
        expect(
          (refused.status === 409 && refused.json.error === "A claim is already in progress") ||
            (refused.status === 400 &&
              refused.json.error.startsWith("Claims allowed once per week. Next claim available ")),
        ).toBe(true);
      }
      expect(await claimCount(referrerId)).toBe(1);
      expect((await kit.transfersTo(wallet!)).map((t) => t.value)).toEqual([1_533_000n]);
    },
  );

  it.skipIf(!usingRealPostgres)("pays many accounts claiming at once, one nonce each", async () => {
    const referrers = await Promise.all(
      Array.from({ length: 8 }, () =>
        referrerWithFees(db.prisma, [{ amount: "10000", currency: "NGN" }], { wallet: newWalletAddress() }),
      ),
    );
    const results = await Promise.all(referrers.map((r) => claim(r.referrerId)));
    expect(results.map((r) => r.json.status)).toEqual(Array(8).fill("COMPLETED"));
    const nonces = await db.prisma.claim.findMany({
      where: { id: { in: results.map((r) => r.json.id) } },
      select: { nonce: true },
    });
    expect(new Set(nonces.map((n) => n.nonce)).size).toBe(8);
    for (const r of referrers) expect((await kit.transfersTo(r.wallet!)).map((t) => t.value)).toEqual([18_900n]);
    expect(await checkClaimConservation(db.prisma)).toEqual([]);
  });
});
