/**
 * Shared by the Perpetual Earnings chain tests: viem clients on the local anvil chain, the payout environment
 * pointing at it, and helpers to create referrers with fees to claim. Test code only.
 */
import { randomBytes } from "node:crypto";
import { afterAll } from "vitest";
import {
  createPublicClient,
  createWalletClient,
  http,
  parseAbiItem,
  type Account,
  type Chain,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { Db } from "@/lib/db/client";
import { setFxRates } from "@/lib/fx/rates";
import { dec, type CurrencyCode } from "@/lib/money";
import { anvilChain, startLocalChain, testUsdcAbi, type LocalChain } from "@/scripts/local-chain";
import { recordTransactions } from "@/lib/fees/transactions";

export interface ChainKit {
  chain: LocalChain;
  client: PublicClient<Transport, Chain>;
  owner: WalletClient<Transport, Chain, Account>;
  /** Raw JSON-RPC, for anvil's own methods (evm_setAutomine, evm_mine, anvil_dropTransaction, …). */
  rpc(method: string, params?: unknown[]): Promise<unknown>;
  /** USDC Transfer events to `to`, oldest first. */
  transfersTo(to: string): Promise<{ value: bigint; from: string; hash: Hex }[]>;
  usdcBalance(of: string): Promise<bigint>;
  /** As the owner (TestUSDC's blacklist), mined. */
  setBlacklisted(account: string, listed: boolean): Promise<void>;
}

export function chainKit(chain: LocalChain): ChainKit {
  const viemChain = anvilChain(chain.chainId, chain.rpcUrl);
  const client = createPublicClient({ chain: viemChain, transport: http(chain.rpcUrl), pollingInterval: 50 });
  const owner = createWalletClient({
    chain: viemChain,
    transport: http(chain.rpcUrl),
    account: privateKeyToAccount(chain.ownerPrivateKey),
  });
  let rpcId = 0;
  const kit: ChainKit = {
    chain,
    client,
    owner,
    async rpc(method, params = []) {
      const response = await fetch(chain.rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: ++rpcId, method, params }),
      });
      const body = (await response.json()) as { result?: unknown; error?: { message: string } };
      if (body.error) throw new Error(`${method}: ${body.error.message}`);
      return body.result;
    },
    async transfersTo(to) {
      const logs = await client.getLogs({
        address: chain.usdcAddress,
        event: parseAbiItem("event Transfer(address indexed from, address indexed to, uint256 value)"),
        args: { to: to as Hex },
        fromBlock: 0n,
      });
      return logs.map((log) => ({
        value: log.args.value!,
        from: log.args.from!.toLowerCase(),
        hash: log.transactionHash,
      }));
    },
    async usdcBalance(of) {
      return client.readContract({
        address: chain.usdcAddress,
        abi: testUsdcAbi,
        functionName: "balanceOf",
        args: [of as Hex],
      });
    },
    async setBlacklisted(account, listed) {
      const hash = await owner.writeContract({
        address: chain.usdcAddress,
        abi: testUsdcAbi,
        functionName: listed ? "blacklist" : "unBlacklist",
        args: [account as Hex],
      });
      await client.waitForTransactionReceipt({ hash });
    },
  };
  return kit;
}

/** The payout variables for the app, pointing at the local chain. */
export function payoutEnv(chain: LocalChain, receiptTimeoutMs = 20_000): Record<string, string> {
  return {
    PAYOUT_RPC_URL: chain.rpcUrl,
    PAYOUT_PRIVATE_KEY: chain.payoutPrivateKey,
    PAYOUT_CHAIN_ID: String(chain.chainId),
    USDC_ADDRESS: chain.usdcAddress,
    PAYOUT_RECEIPT_TIMEOUT_MS: String(receiptTimeoutMs),
    PAYOUT_POLL_INTERVAL_MS: "50",
  };
}

/**
 * The chain of a test file that pays out, awaited at its top level after `integrationSetup()`: a local chain with
 * the test USDC, the app's payouts pointed at it (`receiptTimeoutMs` as in payoutEnv) and `rates` set; stopped
 * after the file's tests.
 */
export async function payoutChainSetup(
  db: Db,
  rates: Partial<Record<CurrencyCode, string>>,
  receiptTimeoutMs?: number,
): Promise<ChainKit> {
  const kit = chainKit(await startLocalChain({ quiet: true }));
  afterAll(() => kit.chain.stop());
  Object.assign(process.env, payoutEnv(kit.chain, receiptTimeoutMs));
  await setRates(db, rates);
  return kit;
}

/**
 * Who a transaction involves, with ids tagged per test file: a referrer, the user it referred (whose transactions
 * earn the referrer a fee), a user without a referrer and a provider (which makes no transactions).
 */
export async function createTransactors(
  db: Db,
  tag: string,
): Promise<[referrer: string, referred: string, loner: string, provider: string]> {
  const ids = {
    referrer: `usr_${tag}referrer`,
    referred: `usr_${tag}referred`,
    loner: `usr_${tag}loner`,
    provider: `prov_${tag}provider`,
  };
  await db.account.createMany({
    data: [
      { id: ids.referrer, kind: "USER" },
      { id: ids.referred, kind: "USER", referrerId: ids.referrer, referredAt: new Date() },
      { id: ids.loner, kind: "USER" },
      { id: ids.provider, kind: "PROVIDER" },
    ],
  });
  return [ids.referrer, ids.referred, ids.loner, ids.provider];
}

/** A fresh wallet address, lower-case as accounts store it. */
export function newWalletAddress(): string {
  return privateKeyToAccount(generatePrivateKey()).address.toLowerCase();
}

export function newUserId(): string {
  return `usr_${randomBytes(10).toString("hex")}`;
}

/**
 * A referrer (with a linked wallet unless `wallet: null`) and, for each fee, a referred user's transaction worth it.
 * @param transactions amounts (transaction amounts, not fees) per currency
 */
export async function referrerWithFees(
  db: Db,
  transactions: { amount: string; currency: CurrencyCode }[],
  options: { wallet?: string | null } = {},
): Promise<{ referrerId: string; wallet: string | null; referredId: string }> {
  const referrerId = newUserId();
  const referredId = newUserId();
  const wallet = options.wallet === undefined ? newWalletAddress() : options.wallet;
  await db.account.create({ data: { id: referrerId, kind: "USER", walletAddress: wallet } });
  await db.account.create({ data: { id: referredId, kind: "USER", referrerId, referredAt: new Date() } });
  if (transactions.length > 0) await addFees(db, referredId, transactions);
  return { referrerId, wallet, referredId };
}

export async function addFees(
  db: Db,
  referredId: string,
  transactions: { amount: string; currency: CurrencyCode }[],
): Promise<void> {
  await recordTransactions(
    db,
    transactions.map((t) => ({
      orderId: `ord_${randomBytes(8).toString("hex")}`,
      userId: referredId,
      type: "offramp" as const,
      amount: dec(t.amount),
      currency: t.currency,
    })),
  );
}

export async function setRates(db: Db, rates: Partial<Record<CurrencyCode, string>>): Promise<void> {
  await setFxRates(db, new Map(Object.entries(rates).map(([c, r]) => [c as CurrencyCode, dec(r!)])), "test");
}

export async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("waitFor: condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
