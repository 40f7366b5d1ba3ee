/**
 * What the operator's page shows (docs/dashboards.md): totals, exchange rates with their age, the payout
 * wallet's balances, the claims that need attention, and recent activity. Each part is independent: a part that
 * cannot be read (an RPC down, payouts not configured) says why instead of failing the page.
 *
 * Cost: account counts are exact below a million accounts and the planner's estimate above (an exact count of
 * ten million rows takes seconds); unclaimed fees read the claim_id index (all unclaimed entries); recent ledger
 * activity reads the created_at index of raw ledger rows; recent transactions read fee_transaction's created_at
 * index.
 */
import "server-only";
import { createPublicClient, erc20Abi, formatEther, formatUnits, http } from "viem";
import type { Db } from "@/lib/db/client";
import { claimSettings } from "@/lib/fees/claims";
import { fxMaxAgeSeconds, isStale, loadRates } from "@/lib/fx/rates";
import { CURRENCIES, dec, type CurrencyCode, type Decimal } from "@/lib/money";
import { payoutConfig } from "@/lib/payouts/config";
import { PayoutWallet } from "@/lib/payouts/transfer";

export const EXACT_COUNT_LIMIT = 1_000_000;
export const ATTENTION_LIMIT = 50;
export const RECENT_LIMIT = 10;
const RPC_TIMEOUT_MS = 5_000;

export interface OperatorOverview {
  accounts: { users: number | null; providers: number | null; total: number; estimated: boolean };
  unclaimedFees: { currency: CurrencyCode; amount: Decimal; entries: number }[];
  claims: { status: "PENDING" | "COMPLETED" | "FAILED"; count: number; amountUsd: Decimal }[];
  rates: {
    maxAgeSeconds: number;
    list: {
      currency: CurrencyCode;
      usd: Decimal | null;
      source: string | null;
      updatedAt: Date | null;
      stale: boolean;
    }[];
  };
  payouts: { paused: boolean; wallet: WalletStatus };
  attention: AttentionClaim[];
  recentActivity: { accountId: string; kind: string; amount: Decimal; sourceEvent: string; createdAt: Date }[];
  recentTransactions: {
    orderId: string;
    userId: string;
    currency: string;
    amount: Decimal;
    referrerFee: Decimal;
    createdAt: Date;
  }[];
}

export type WalletStatus =
  | { configured: false; reason: string }
  | {
      configured: true;
      address: string;
      chainId: number;
      usdcAddress: string;
      usdc: Decimal | null;
      eth: Decimal | null;
      error: string | null;
    };

export interface AttentionClaim {
  id: string;
  accountId: string;
  status: "PENDING" | "FAILED";
  amountUsd: Decimal;
  transactionHash: string | null;
  failureReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

async function accountCounts(db: Db): Promise<OperatorOverview["accounts"]> {
  const [estimate] = await db.$queryRaw<{ rows: number }[]>`
    SELECT GREATEST(reltuples, 0)::float8 AS rows FROM pg_class WHERE oid = 'account'::regclass`;
  if (estimate && estimate.rows >= EXACT_COUNT_LIMIT) {
    return { users: null, providers: null, total: Math.round(estimate.rows), estimated: true };
  }
  const rows = await db.$queryRaw<{ kind: string; count: number }[]>`
    SELECT kind::text AS kind, COUNT(*)::int AS count FROM account GROUP BY kind`;
  const users = rows.find((r) => r.kind === "USER")?.count ?? 0;
  const providers = rows.find((r) => r.kind === "PROVIDER")?.count ?? 0;
  return { users, providers, total: users + providers, estimated: false };
}

/** Failed claims that are still the last word for their account (no later claim paid or is paying it). */
async function claimsNeedingAttention(db: Db): Promise<AttentionClaim[]> {
  const rows = await db.$queryRaw<
    {
      id: string;
      account_id: string;
      status: "PENDING" | "FAILED";
      amount_usd: { toString(): string };
      transaction_hash: string | null;
      failure_reason: string | null;
      created_at: Date;
      updated_at: Date;
    }[]
  >`
    SELECT c.id::text, c.account_id, c.status::text AS status, c.amount_usd, c.transaction_hash, c.failure_reason, c.created_at, c.updated_at
    FROM claim c
    WHERE c.status = 'PENDING'
       OR (c.status = 'FAILED' AND NOT EXISTS (
             SELECT 1 FROM claim later WHERE later.account_id = c.account_id AND later.created_at > c.created_at))
    ORDER BY c.created_at DESC
    LIMIT ${ATTENTION_LIMIT}`;
  return rows.map((r) => ({
    id: r.id,
    accountId: r.account_id,
    status: r.status,
    amountUsd: dec(r.amount_usd),
    transactionHash: r.status === "FAILED" ? null : r.transaction_hash,
    failureReason: r.failure_reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

async function walletStatus(env: NodeJS.ProcessEnv): Promise<WalletStatus> {
  let wallet: PayoutWallet;
  try {
    wallet = new PayoutWallet(payoutConfig(env));
  } catch (error) {
    return { configured: false, reason: error instanceof Error ? error.message : String(error) };
  }
  const { config } = wallet;
  // The wallet's own client retries nothing and waits for receipts; this page wants a quick answer or none.
  const client = createPublicClient({ transport: http(config.rpcUrl, { timeout: RPC_TIMEOUT_MS, retryCount: 0 }) });
  const address = wallet.account.address;
  const [eth, usdc] = await Promise.allSettled([
    client.getBalance({ address }),
    client.readContract({ address: config.usdcAddress, abi: erc20Abi, functionName: "balanceOf", args: [address] }),
  ]);
  const failure = [eth, usdc].find((r) => r.status === "rejected");
  return {
    configured: true,
    address,
    chainId: config.chainId,
    usdcAddress: config.usdcAddress,
    eth: eth.status === "fulfilled" ? dec(formatEther(eth.value)) : null,
    usdc: usdc.status === "fulfilled" ? dec(formatUnits(usdc.value, 6)) : null,
    error: failure ? `The chain could not be read at ${new URL(config.rpcUrl).host}` : null,
  };
}

export async function operatorOverview(
  db: Db,
  env: NodeJS.ProcessEnv = process.env,
  now: Date = new Date(),
): Promise<OperatorOverview> {
  const maxAgeSeconds = fxMaxAgeSeconds(env);
  const [accounts, fees, claims, rates, wallet, attention, activity, transactions] = await Promise.all([
    accountCounts(db),
    db.feeEntry.groupBy({
      by: ["currency"],
      where: { claimId: null },
      _sum: { amountLocal: true },
      _count: { _all: true },
    }),
    db.claim.groupBy({ by: ["status"], _count: { _all: true }, _sum: { amountUsd: true } }),
    loadRates(db),
    walletStatus(env),
    claimsNeedingAttention(db),
    db.ledgerEntry.findMany({
      where: { kind: { in: ["BASE", "DIRECT_BONUS"] } },
      orderBy: { createdAt: "desc" },
      take: RECENT_LIMIT,
      select: { accountId: true, kind: true, amount: true, sourceEvent: true, createdAt: true },
    }),
    db.feeTransaction.findMany({
      orderBy: { createdAt: "desc" },
      take: RECENT_LIMIT,
      select: { orderId: true, userId: true, currency: true, amount: true, referrerFee: true, createdAt: true },
    }),
  ]);

  return {
    accounts,
    unclaimedFees: CURRENCIES.flatMap((currency) => {
      const g = fees.find((f) => f.currency === currency);
      return g ? [{ currency, amount: dec(String(g._sum.amountLocal ?? 0)), entries: g._count._all }] : [];
    }),
    claims: (["PENDING", "COMPLETED", "FAILED"] as const).map((status) => {
      const g = claims.find((c) => c.status === status);
      return { status, count: g?._count._all ?? 0, amountUsd: dec(String(g?._sum.amountUsd ?? 0)) };
    }),
    rates: {
      maxAgeSeconds,
      list: CURRENCIES.map((currency) => {
        const rate = rates.get(currency);
        return rate
          ? {
              currency,
              usd: rate.usdRate,
              source: rate.source,
              updatedAt: rate.updatedAt,
              stale: isStale(rate, now, maxAgeSeconds),
            }
          : { currency, usd: null, source: null, updatedAt: null, stale: true };
      }),
    },
    payouts: { paused: claimSettings(env).paused, wallet },
    attention,
    recentActivity: activity.map((a) => ({ ...a, amount: dec(a.amount.toString()) })),
    recentTransactions: transactions.map((t) => ({
      ...t,
      amount: dec(t.amount.toString()),
      referrerFee: dec(t.referrerFee.toString()),
    })),
  };
}
