/**
 * Perpetual Earnings at scale: transactions for the referrals of many referrers, then every referrer claims
 * through HTTP against anvil, and each must have been paid exactly once — one COMPLETED claim in the database,
 * one Transfer on chain to its wallet, its wallet holding exactly the claim's amount, and a second claim refused.
 */
import { randomBytes } from "node:crypto";
import { createPublicClient, http, parseAbiItem } from "viem";
import type { Db } from "@/lib/db/client";
import { toUsdcBaseUnits } from "@/lib/money";
import type { LocalChain } from "../local-chain";
import { testUsdcAbi } from "../local-chain";
import { call, concurrent, summarize, type Latencies } from "./load";

/** USD per unit, as in the seed's example. */
const RATES = { KES: "0.0077", NGN: "0.00063", UGX: "0.00027", GHS: "0.065", ETB: "0.0076", CDF: "0.00035" };
const CURRENCIES = Object.keys(RATES) as (keyof typeof RATES)[];
const TRANSACTIONS_PER_REFERRER = 10;

export interface ClaimsResult {
  referrers: number;
  transactions: number;
  transactionsPerSecond: number;
  transactionBatchLatency: Latencies;
  claimClients: number;
  claimsSeconds: number;
  claimsPerSecond: number;
  claimLatency: Latencies;
  statuses: Record<string, number>;
  /** Every referrer: one COMPLETED claim, one transfer to its wallet, its balance = the claim; a second claim refused. */
  paidExactlyOnce: boolean;
  problems: string[];
  usdcPaid: string;
}

export async function benchClaims(options: {
  db: Db;
  baseUrl: string;
  secretKey: string;
  publishableKey: string;
  chain: LocalChain;
  referrers: number;
  clients: number;
}): Promise<ClaimsResult> {
  const { db, baseUrl } = options;
  const operator = { "x-api-key": options.secretKey };

  // Referrers with at least one user referral each; the referral is the one transacting.
  const pairs = await db.$queryRawUnsafe<{ referrer_id: string; transactor_id: string }[]>(
    `SELECT referrer_id, min(id) AS transactor_id FROM account
     WHERE kind = 'USER' AND referrer_id IS NOT NULL GROUP BY referrer_id ORDER BY random() LIMIT $1`,
    options.referrers,
  );
  const wallets = pairs.map(() => `0x${randomBytes(20).toString("hex")}`);
  await db.$executeRawUnsafe(
    `UPDATE account a SET wallet_address = w.wallet FROM unnest($1::text[], $2::text[]) AS w(id, wallet) WHERE a.id = w.id`,
    pairs.map((p) => p.referrer_id),
    wallets,
  );
  await call(baseUrl, "/api/fx/rates", { method: "PUT", headers: operator, body: { rates: RATES } });

  const events = pairs.flatMap((p, i) =>
    Array.from({ length: TRANSACTIONS_PER_REFERRER }, (_, j) => ({
      orderId: `bench-order-${i}-${j}`,
      userId: p.transactor_id,
      type: j % 2 === 0 ? "offramp" : "pay",
      amount: String(1000 + ((i * 7919 + j * 104729) % 99_000)),
      currency: CURRENCIES[(i + j) % CURRENCIES.length],
    })),
  );
  const batchLatencies: number[] = [];
  const txStarted = performance.now();
  for (let at = 0; at < events.length; at += 1000) {
    const t0 = performance.now();
    await call(baseUrl, "/api/events/transactions", { headers: operator, body: { events: events.slice(at, at + 1000) } });
    batchLatencies.push(performance.now() - t0);
  }
  const txSeconds = (performance.now() - txStarted) / 1000;

  const tokens = new Array<string>(pairs.length);
  for (let at = 0; at < pairs.length; at += 16) {
    await Promise.all(
      pairs.slice(at, at + 16).map(async (p, k) => {
        const { token } = await call<{ token: string }>(baseUrl, "/api/auth/token", { headers: operator, body: { accountId: p.referrer_id } });
        tokens[at + k] = token;
      }),
    );
  }
  const userHeaders = (i: number) => ({ authorization: `Bearer ${tokens[i]}`, "x-api-key": options.publishableKey });

  // Each client takes the next referrer until all have claimed once.
  const statuses: Record<string, number> = {};
  const claimStarted = performance.now();
  const { failed, failures, requestsPerSecond: _, ...claimLatency } = await concurrent({
    clients: options.clients,
    count: pairs.length,
    send: async (i) => {
      const reply = await call<{ status: string }>(baseUrl, "/api/referral-fees/claim", { method: "POST", headers: userHeaders(i) });
      statuses[reply.status] = (statuses[reply.status] ?? 0) + 1;
    },
  });
  const claimsSeconds = (performance.now() - claimStarted) / 1000;
  if (failed > 0) statuses.error = failed;
  const problems = [...failures];

  // Asked again, every referrer is refused (the cooldown): nothing more is paid.
  for (let i = 0; i < Math.min(pairs.length, 50); i++) {
    const response = await fetch(`${baseUrl}/api/referral-fees/claim`, { method: "POST", headers: userHeaders(i) });
    const body = await response.text();
    if (response.status !== 400 || !body.includes("Claims allowed once per week")) {
      problems.push(`second claim of ${pairs[i]!.referrer_id}: ${response.status} ${body.slice(0, 200)}`);
    }
  }

  problems.push(...(await verifyPayments(db, options.chain, pairs.map((p) => p.referrer_id), wallets)));
  const [paid] = await db.$queryRawUnsafe<{ usd: string }[]>(
    `SELECT COALESCE(SUM(amount_usd), 0)::text AS usd FROM claim WHERE status = 'COMPLETED'`,
  );
  return {
    referrers: pairs.length,
    transactions: events.length,
    transactionsPerSecond: Math.round(events.length / txSeconds),
    transactionBatchLatency: summarize(batchLatencies),
    claimClients: options.clients,
    claimsSeconds,
    claimsPerSecond: Math.round((pairs.length / claimsSeconds) * 10) / 10,
    claimLatency,
    statuses,
    paidExactlyOnce: problems.length === 0,
    problems: problems.slice(0, 20),
    usdcPaid: paid!.usd,
  };
}

async function verifyPayments(db: Db, chain: LocalChain, referrers: string[], wallets: string[]): Promise<string[]> {
  const problems: string[] = [];
  const claims = await db.$queryRawUnsafe<{ account_id: string; claims: number; completed: number; amount: string }[]>(
    `SELECT account_id, COUNT(*)::int AS claims, COUNT(*) FILTER (WHERE status = 'COMPLETED')::int AS completed,
            COALESCE(SUM(amount_usd) FILTER (WHERE status = 'COMPLETED'), 0)::text AS amount
     FROM claim WHERE account_id = ANY($1::text[]) GROUP BY account_id`,
    referrers,
  );
  const byAccount = new Map(claims.map((c) => [c.account_id, c]));

  const client = createPublicClient({ transport: http(chain.rpcUrl) });
  const transfers = await client.getLogs({
    address: chain.usdcAddress,
    event: parseAbiItem("event Transfer(address indexed from, address indexed to, uint256 value)"),
    args: { from: chain.payoutAddress },
    fromBlock: 0n,
    toBlock: "latest",
  });
  const received = new Map<string, bigint[]>();
  for (const t of transfers) {
    const to = t.args.to!.toLowerCase();
    received.set(to, [...(received.get(to) ?? []), t.args.value!]);
  }

  for (let at = 0; at < referrers.length; at += 50) {
    const slice = referrers.slice(at, at + 50);
    const balances = await Promise.all(
      slice.map((_, k) =>
        client.readContract({ address: chain.usdcAddress, abi: testUsdcAbi, functionName: "balanceOf", args: [wallets[at + k] as `0x${string}`] }),
      ),
    );
    slice.forEach((id, k) => {
      const wallet = wallets[at + k]!;
      const claim = byAccount.get(id);
      const units = claim ? toUsdcBaseUnits(claim.amount) : 0n;
      const sent = received.get(wallet) ?? [];
      if (!claim || claim.claims !== 1 || claim.completed !== 1) {
        problems.push(`${id}: ${claim?.claims ?? 0} claims, ${claim?.completed ?? 0} completed`);
      } else if (sent.length !== 1 || sent[0] !== units || balances[k] !== units) {
        problems.push(`${id}: claim of ${units} units, ${sent.length} transfers (${sent.join(", ")}), balance ${balances[k]}`);
      }
    });
  }
  return problems;
}
