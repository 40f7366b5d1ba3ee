/**
 * The demo's data: the seed documents' own example networks, built through the same rules the API uses, so the
 * dashboards show real ledger figures.
 * - Users (Cxmpute example 1): you refer 5 developers, they refer 3 each (15), those refer 2 each (30).
 * - Providers (Cxmpute example 2): you refer 3 providers, they refer 2 each (6), those refer 1 each (6).
 * - Perpetual Earnings (Rift example): a Kenyan referral offramps 50,000 KES and a Nigerian one 200,000 NGN, so the demo
 *   user has 150 KES + 600 NGN (about $1.53) to claim.
 * Idempotent: accounts are keyed by externalId and events by their ids, so running it again changes nothing.
 */
import "server-only";
import type { Db } from "@/lib/db/client";
import { signUpWithPassword } from "@/lib/auth/signin";
import { recordTransactions } from "@/lib/fees/transactions";
import { setFxRates } from "@/lib/fx/rates";
import { dec, type CurrencyCode, type Decimal } from "@/lib/money";
import { createAccount, type AccountKindName } from "@/lib/referrals/accounts";
import { recordComputeEvents, recordUsageEvents, type UsageEvent } from "@/lib/rewards/events";

export const DEMO_USER = { email: "demo@example.com", password: "demo-password" };
export const DEMO_PROVIDER = { email: "provider@example.com", password: "demo-password" };
/** Anvil's account 3 (public test key): the demo user's payout wallet on the local chain. */
export const DEMO_WALLET = "0x90f79bf6eb2c4f870365e785982e1f101e93b906";

/** USD per unit, close to real rates, so the Rift example comes to about $1.53. */
export const DEMO_RATES: Record<CurrencyCode, string> = {
  KES: "0.0077",
  NGN: "0.00063",
  UGX: "0.00027",
  GHS: "0.065",
  ETB: "0.0072",
  CDF: "0.00035",
};

const USAGE_PATTERN: Omit<UsageEvent, "requestId" | "userId">[] = [
  { endpoint: "/chat/completions", tokens: 1000 },
  { endpoint: "/embeddings", tokens: 2000 },
  { endpoint: "/scrape" },
  { endpoint: "/tts" },
];

async function rootAccount(db: Db, kind: AccountKindName, login: { email: string; password: string }) {
  const existing = await db.account.findUnique({ where: { email: login.email }, select: { id: true } });
  if (existing) return existing.id;
  return (await signUpWithPassword(db, { ...login, kind })).id;
}

/** Builds referral levels under `root`: fanOut[i] children for each account of level i. */
async function network(db: Db, kind: AccountKindName, root: string, fanOut: number[]): Promise<string[][]> {
  const levels: string[][] = [];
  let parents = [root];
  for (const [depth, children] of fanOut.entries()) {
    const level: string[] = [];
    for (const [p, parent] of parents.entries()) {
      for (let c = 0; c < children; c++) {
        const { account } = await createAccount(db, {
          kind,
          referrer: parent,
          externalId: `demo-${kind}-${depth + 1}-${p}-${c}`,
        });
        level.push(account.id);
      }
    }
    levels.push(level);
    parents = level;
  }
  return levels;
}

export interface DemoSummary {
  user: string;
  provider: string;
  users: number;
  providers: number;
}

export async function seedDemo(db: Db): Promise<DemoSummary> {
  const user = await rootAccount(db, "user", DEMO_USER);
  await db.account.updateMany({ where: { id: user, walletAddress: null }, data: { walletAddress: DEMO_WALLET } });
  const provider = await rootAccount(db, "provider", DEMO_PROVIDER);

  const userLevels = await network(db, "user", user, [5, 3, 2]);
  const providerLevels = await network(db, "provider", provider, [3, 2, 1]);

  const members = [user, ...userLevels.flat()];
  await recordUsageEvents(
    db,
    members.flatMap((userId, i) =>
      USAGE_PATTERN.slice(0, 1 + (i % USAGE_PATTERN.length)).map((usage, j) => ({
        ...usage,
        userId,
        requestId: `demo-usage-${i}-${j}`,
      })),
    ),
  );
  const providers = [provider, ...providerLevels.flat()];
  await recordComputeEvents(
    db,
    providers.map((providerId, i) => ({
      eventId: `demo-compute-${i}`,
      providerId,
      tokensGenerated: 20_000 + 5_000 * i,
      requests: 40 + i,
      uptimeSeconds: 6 * 3600,
      model: "llama3.1:8b",
      endpoint: "/chat/completions",
      latencyMs: 1500,
    })),
  );

  const rates = new Map(
    Object.entries(DEMO_RATES).map(([c, r]) => [c as CurrencyCode, dec(r)] as [CurrencyCode, Decimal]),
  );
  // Demo rates are renewed on every start so claims never meet a stale rate; rates set by anyone else are kept.
  const current = await db.fxRate.findMany({ select: { source: true } });
  if (current.every((rate) => rate.source === "demo")) await setFxRates(db, rates, "demo");
  const [kenyan, nigerian] = userLevels[0]!;
  await recordTransactions(db, [
    { orderId: "demo-order-kes-1", userId: kenyan!, type: "offramp", amount: dec(30_000), currency: "KES" },
    { orderId: "demo-order-kes-2", userId: kenyan!, type: "pay", amount: dec(20_000), currency: "KES" },
    { orderId: "demo-order-ngn-1", userId: nigerian!, type: "offramp", amount: dec(200_000), currency: "NGN" },
  ]);

  return { user, provider, users: members.length, providers: providers.length };
}
