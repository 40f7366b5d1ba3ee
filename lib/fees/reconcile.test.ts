// Claims left PENDING (no receipt in time, dropped, replaced, process killed) settled by the reconciler, on a
// real PostgreSQL and a local anvil chain. It never sends a claim twice.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createWalletClient, http, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { payoutConfig } from "@/lib/payouts/config";
import { PayoutWallet } from "@/lib/payouts/transfer";
import { toUsdcBaseUnits } from "@/lib/money";
import { integrationSetup } from "@/lib/testing/integration";
import { testUsdcAbi } from "@/scripts/local-chain";
import { getReferralFeeBalance } from "./balance";
import { storeSignedTransfer } from "./claim-state";
import { checkClaimConservation } from "./check";
import { claimReferralFees, claimSettings, ClaimInProgress, openClaim } from "./claims";
import { reconcilePendingClaims } from "./reconcile";
import { payoutChainSetup, payoutEnv, referrerWithFees, waitFor } from "@/lib/testing/fees";

const { db } = await integrationSetup();
const kit = await payoutChainSetup(db.prisma, { KES: "0.0077", NGN: "0.00063" }, 500);
const root = fileURLToPath(new URL("../..", import.meta.url));

const reconcileNow = () => reconcilePendingClaims(db.prisma, { graceSeconds: 0 });
const claimRow = (id: string) => db.prisma.claim.findUniqueOrThrow({ where: { id } });
const unclaimed = (referrerId: string) => db.prisma.feeEntry.count({ where: { referrerId, claimId: null } });

/** Runs `fn` with anvil mining only on evm_mine. */
async function withoutAutomine<T>(fn: () => Promise<T>): Promise<T> {
  await kit.rpc("evm_setAutomine", [false]);
  try {
    return await fn();
  } finally {
    await kit.rpc("evm_setAutomine", [true]);
  }
}

interface Exit {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a TypeScript file of the project in a process of its own, as another app instance would. Node itself with
 * tsx's loader, not the tsx wrapper: SIGKILL must reach the process that does the work.
 */
function run(
  args: string[],
  env: Record<string, string>,
): { done: Promise<Exit>; exited: () => Exit | undefined; kill(): void } {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let exit: Exit | undefined;
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    done: new Promise((resolve) =>
      child.once("close", (code, signal) => {
        exit = { code, signal, stdout, stderr };
        resolve(exit);
      }),
    ),
    exited: () => exit,
    kill: () => child.kill("SIGKILL"),
  };
}

describe("reconcilePendingClaims", () => {
  it("leaves a claim PENDING when no receipt comes in time, then completes it without a second transfer", async () => {
    const { referrerId, wallet } = await referrerWithFees(db.prisma, [{ amount: "50000", currency: "KES" }]);
    const pending = await withoutAutomine(async () => {
      const result = await claimReferralFees(db.prisma, referrerId);
      expect(result).toMatchObject({ status: "PENDING", transactionHash: expect.stringMatching(/^0x/) });

      // While it is in flight: not claimable, a second claim is refused, the default grace leaves it alone.
      expect(await getReferralFeeBalance(db.prisma, referrerId)).toMatchObject({
        canClaim: false,
        claimInProgress: true,
        entryCount: 0,
      });
      await expect(claimReferralFees(db.prisma, referrerId)).rejects.toBeInstanceOf(ClaimInProgress);
      expect((await reconcilePendingClaims(db.prisma)).examined).toBe(0);
      // Still in the mempool: the reconciler waits.
      expect((await reconcileNow()).actions).toEqual([{ claimId: result.id, action: "waiting" }]);
      await kit.rpc("evm_mine");
      return result;
    });

    expect((await reconcileNow()).actions).toEqual([{ claimId: pending.id, action: "completed" }]);
    const row = await claimRow(pending.id);
    expect(row).toMatchObject({ status: "COMPLETED", transactionHash: pending.transactionHash });
    expect(row.completedAt).not.toBeNull();
    expect(await kit.transfersTo(wallet!)).toEqual([
      expect.objectContaining({ value: 1_155_000n, hash: pending.transactionHash }),
    ]);
    expect((await reconcileNow()).examined).toBe(0);
  });

  it("resends the same signed transfer when the node dropped it, and completes the claim", async () => {
    const { referrerId, wallet } = await referrerWithFees(db.prisma, [{ amount: "200000", currency: "NGN" }]);
    const pending = await withoutAutomine(async () => {
      const result = await claimReferralFees(db.prisma, referrerId);
      expect(result.status).toBe("PENDING");
      await kit.rpc("anvil_dropTransaction", [result.transactionHash]);
      expect((await reconcileNow()).actions).toEqual([{ claimId: result.id, action: "rebroadcast" }]);
      await kit.rpc("evm_mine");
      return result;
    });
    expect((await reconcileNow()).actions).toEqual([{ claimId: pending.id, action: "completed" }]);
    expect(await kit.transfersTo(wallet!)).toEqual([
      expect.objectContaining({ value: 378_000n, hash: pending.transactionHash }),
    ]);
  });

  it("fails the claim and releases its entries when another transaction used its nonce, then pays the next claim once", async () => {
    const { referrerId, wallet } = await referrerWithFees(db.prisma, [{ amount: "50000", currency: "KES" }]);
    const pending = await withoutAutomine(async () => {
      const result = await claimReferralFees(db.prisma, referrerId);
      const { nonce } = await claimRow(result.id);
      await kit.rpc("anvil_dropTransaction", [result.transactionHash]);
      // Someone else with the payout key spends the nonce first.
      const other = createWalletClient({
        chain: kit.client.chain,
        transport: http(kit.chain.rpcUrl),
        account: privateKeyToAccount(kit.chain.payoutPrivateKey),
      });
      await other.sendTransaction({ to: other.account.address, value: 0n, nonce: nonce! });
      await kit.rpc("evm_mine");
      return result;
    });
    expect((await reconcileNow()).actions).toEqual([{ claimId: pending.id, action: "failed" }]);
    expect(await claimRow(pending.id)).toMatchObject({ status: "FAILED", completedAt: null });
    expect(await unclaimed(referrerId)).toBe(1);
    expect(await kit.transfersTo(wallet!)).toEqual([]);

    expect(await claimReferralFees(db.prisma, referrerId)).toMatchObject({
      status: "COMPLETED",
      amountUsd: expect.anything(),
    });
    expect((await kit.transfersTo(wallet!)).map((t) => t.value)).toEqual([1_155_000n]);
  });

  it("fails the claim when its resent transfer reverts on chain", async () => {
    const { referrerId, wallet } = await referrerWithFees(db.prisma, [{ amount: "50000", currency: "KES" }]);
    try {
      const pending = await withoutAutomine(async () => {
        const result = await claimReferralFees(db.prisma, referrerId);
        await kit.rpc("anvil_dropTransaction", [result.transactionHash]);
        await kit.owner.writeContract({
          address: kit.chain.usdcAddress,
          abi: testUsdcAbi,
          functionName: "blacklist",
          args: [wallet as Hex],
        });
        await kit.rpc("evm_mine");
        expect((await reconcileNow()).actions).toEqual([{ claimId: result.id, action: "rebroadcast" }]);
        await kit.rpc("evm_mine");
        return result;
      });
      expect((await kit.client.getTransactionReceipt({ hash: pending.transactionHash as Hex })).status).toBe(
        "reverted",
      );
      expect((await reconcileNow()).actions).toEqual([{ claimId: pending.id, action: "failed" }]);
      expect(await unclaimed(referrerId)).toBe(1);
    } finally {
      await kit.setBlacklisted(wallet!, false);
    }
    expect(await kit.transfersTo(wallet!)).toEqual([]);
  });

  it("fails a claim whose request died before signing (nothing was sent), but only after the grace period", async () => {
    const { referrerId } = await referrerWithFees(db.prisma, [{ amount: "50000", currency: "KES" }]);
    const opened = await openClaim(db.prisma, referrerId, claimSettings(), new Date());
    expect(await unclaimed(referrerId)).toBe(0);
    expect((await reconcilePendingClaims(db.prisma, { graceSeconds: 60 })).examined).toBe(0);
    expect((await reconcileNow()).actions).toEqual([{ claimId: opened.id, action: "failed" }]);
    expect(await claimRow(opened.id)).toMatchObject({ status: "FAILED", transactionHash: null });
    expect(await unclaimed(referrerId)).toBe(1);
  });

  it("sends a transfer that was signed and stored but never broadcast, exactly as signed", async () => {
    const { referrerId, wallet } = await referrerWithFees(db.prisma, [{ amount: "50000", currency: "KES" }]);
    const opened = await openClaim(db.prisma, referrerId, claimSettings(), new Date());
    const payout = new PayoutWallet(payoutConfig());
    const signed = await payout.signTransfer(opened.walletAddress, toUsdcBaseUnits(opened.amountUsd));
    expect(await storeSignedTransfer(db.prisma, opened.id, signed, payout.address)).toBe(true);
    // A second signing for the same claim is refused: one claim, one transfer.
    expect(await storeSignedTransfer(db.prisma, opened.id, signed, payout.address)).toBe(false);

    expect((await reconcileNow()).actions).toEqual([{ claimId: opened.id, action: "rebroadcast" }]);
    expect((await reconcileNow()).actions).toEqual([{ claimId: opened.id, action: "completed" }]);
    expect(await kit.transfersTo(wallet!)).toEqual([expect.objectContaining({ value: 1_155_000n, hash: signed.hash })]);
  });

  it("finishes a claim whose process was killed between broadcast and receipt (claims:reconcile script)", async () => {
    const { referrerId, wallet } = await referrerWithFees(db.prisma, [{ amount: "50000", currency: "KES" }]);
    const env = { DATABASE_URL: db.url, ...payoutEnv(kit.chain, 120_000) };
    const hash = await withoutAutomine(async () => {
      const child = run(["lib/testing/claim-process.ts", referrerId], env);
      const sent = await waitFor(async () => {
        const exit = child.exited();
        if (exit) throw new Error(`the claim process ended before it was killed: ${JSON.stringify(exit)}`);
        const row = await db.prisma.claim.findFirst({ where: { accountId: referrerId } });
        if (!row?.transactionHash) return null;
        // Broadcast: the node has it in its mempool.
        return (await kit.rpc("eth_getTransactionByHash", [row.transactionHash])) ? row.transactionHash : null;
      }, 60_000);
      child.kill();
      expect((await child.done).signal).toBe("SIGKILL");
      await kit.rpc("evm_mine");
      return sent;
    });
    expect(await db.prisma.claim.findFirstOrThrow({ where: { accountId: referrerId } })).toMatchObject({
      status: "PENDING",
    });

    const script = await run(["scripts/claims-reconcile.ts", "--grace-seconds", "0"], env).done;
    expect(script.code).toBe(0);
    expect(JSON.parse(script.stdout).actions).toEqual([expect.objectContaining({ action: "completed" })]);
    expect(await db.prisma.claim.findFirstOrThrow({ where: { accountId: referrerId } })).toMatchObject({
      status: "COMPLETED",
      transactionHash: hash,
    });
    expect(await kit.transfersTo(wallet!)).toEqual([expect.objectContaining({ value: 1_155_000n, hash })]);
  });

  it("leaves the books balanced", async () => {
    expect(await checkClaimConservation(db.prisma)).toEqual([]);
  });
});
