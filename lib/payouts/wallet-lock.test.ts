import pg from "pg";
import { describe, expect, it } from "vitest";
import { usingRealPostgres } from "@/lib/testing/db";
import { integrationSetup } from "@/lib/testing/integration";
import { walletLockName, WalletLockTimeout, withPayoutWalletLock } from "./wallet-lock";

const { db } = await integrationSetup();
const wallet = { address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", chainId: 31337 };

/** Another app instance: a session of its own holding the wallet's lock. */
async function otherInstanceHolding(): Promise<{ release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [walletLockName(wallet)]);
  return { release: () => client.end() };
}

async function lockIsFree(): Promise<boolean> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ free: boolean }>(
      "SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS free",
      [walletLockName(wallet)],
    );
    return rows[0]!.free;
  } finally {
    await client.end();
  }
}

describe("withPayoutWalletLock", () => {
  it("runs one sender of this process at a time", async () => {
    let running = 0;
    let most = 0;
    const sender = () =>
      withPayoutWalletLock(db.url, wallet, 5_000, async () => {
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 20));
        running--;
      });
    await Promise.all(Array.from({ length: 6 }, sender));
    expect(most).toBe(1);
  });

  it.skipIf(!usingRealPostgres)("waits while another instance holds the wallet, and runs once it lets go", async () => {
    const other = await otherInstanceHolding();
    let releasedAt = 0;
    setTimeout(() => {
      releasedAt = Date.now();
      void other.release();
    }, 300);
    let ranAt = 0;
    await withPayoutWalletLock(db.url, wallet, 5_000, async () => {
      ranAt = Date.now();
    });
    expect(releasedAt).toBeGreaterThan(0);
    expect(ranAt).toBeGreaterThanOrEqual(releasedAt);
  });

  it.skipIf(!usingRealPostgres)(
    "gives up after the timeout without running while another instance holds the wallet",
    async () => {
      const other = await otherInstanceHolding();
      let ran = false;
      try {
        await expect(
          withPayoutWalletLock(db.url, wallet, 200, async () => {
            ran = true;
          }),
        ).rejects.toBeInstanceOf(WalletLockTimeout);
      } finally {
        await other.release();
      }
      expect(ran).toBe(false);
    },
  );

  it.skipIf(!usingRealPostgres)("releases the wallet when the sender throws", async () => {
    await expect(
      withPayoutWalletLock(db.url, wallet, 1_000, async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await lockIsFree()).toBe(true);
  });
});
