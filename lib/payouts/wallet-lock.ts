/**
 * One sender per payout wallet at a time, across every app instance: choosing a nonce, signing, storing and
 * broadcasting happen under a PostgreSQL advisory lock, so two instances never sign two transfers with one nonce.
 *
 * The lock is a session lock on a connection of its own, not a transaction lock: the signed transaction's hash
 * must be committed before the broadcast, which a transaction held open for the lock would prevent. If the
 * process dies, PostgreSQL ends the session and releases the lock.
 */
import "server-only";
import pg from "pg";

export class WalletLockTimeout extends Error {
  constructor(address: string, timeoutMs: number) {
    super(`The payout wallet ${address} stayed locked by another sender for ${timeoutMs} ms`);
  }
}

// The embedded PGlite is one session shared by every connection, where advisory locks are re-entrant and so
// exclude nothing; this queue keeps senders within the process one at a time there as well.
const localQueues = new Map<string, Promise<void>>();

async function withLocalQueue<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = localQueues.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const tail = previous.then(() => mine);
  localQueues.set(key, tail);
  await previous;
  try {
    return await fn();
  } finally {
    release();
    if (localQueues.get(key) === tail) localQueues.delete(key);
  }
}

/** The advisory lock's name; PostgreSQL hashes it to the lock's 64-bit key. */
export function walletLockName(wallet: { address: string; chainId: number }): string {
  return `payout-wallet:${wallet.chainId}:${wallet.address.toLowerCase()}`;
}

/**
 * Runs `fn` while holding the lock of one payout wallet on one chain.
 * @throws WalletLockTimeout when another sender holds the lock longer than `timeoutMs`
 */
export async function withPayoutWalletLock<T>(
  databaseUrl: string,
  wallet: { address: string; chainId: number },
  timeoutMs: number,
  fn: () => Promise<T>,
): Promise<T> {
  const key = walletLockName(wallet);
  return withLocalQueue(key, async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    // A dropped connection surfaces as the next query's error; unheard, the client's "error" event would end the process.
    client.on("error", () => undefined);
    await client.connect();
    try {
      await client.query(`SET lock_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
      try {
        await client.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [key]);
      } catch (error) {
        if ((error as { code?: string }).code === "55P03") throw new WalletLockTimeout(wallet.address, timeoutMs);
        throw error;
      }
      try {
        return await fn();
      } finally {
        // If this fails the connection is gone, and with it the session that held the lock.
        await client.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [key]).catch(() => undefined);
      }
    } finally {
      await client.end().catch(() => undefined);
    }
  });
}
