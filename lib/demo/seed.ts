/**
 * The demo's data: a program that has run for a month, written through the writers live events use (each dated
 * with its `now`), so the dashboards and the operator page show real ledger figures on first start.
 * - Users (the Rewards & Referrals example): the demo user refers 5 developers, they refer 3 each (15), those refer
 *   2 each (30), joining over the month's first four weeks; everyone uses the API on most days since.
 * - Providers: the demo provider refers 3 providers, they refer 2 each (6), those refer 1 each (6); each serves
 *   compute every day.
 * - Perpetual Earnings: the demo user's five direct referrals offramp and pay in KES, NGN, UGX, GHS and ETB; the
 *   demo user claimed those fees 10 days ago (COMPLETED, paid on the local chain). Since then, the Rift example: a
 *   Kenyan referral offramps 50,000 KES and a Nigerian one 200,000 NGN, so the demo user has exactly 150 KES +
 *   600 NGN (about $1.53) to claim now. The Kenyan's own claim failed 4 days ago (the token blacklisted its
 *   wallet), so the operator page has a claim that needs attention.
 * Past claims are paid for real, so they are made only when the demo runs its own chain (`payouts`); without one
 * the fees they would have paid are not recorded either, and the demo user's balance is the same.
 * Once per database: accounts are keyed by externalId and events by their ids, and a database whose demo history
 * is complete (its last write, the Nigerian's order, is there) is left as it is; only the demo's rates are renewed.
 */
import "server-only";
import type { Db } from "@/lib/db/client";
import { claimReferralFees } from "@/lib/fees/claims";
import { recordTransactions, type TransactionEvent } from "@/lib/fees/transactions";
import { setFxRates } from "@/lib/fx/rates";
import { hashPassword } from "@/lib/auth/password";
import { dec, type CurrencyCode, type Decimal } from "@/lib/money";
import { createAccount, type AccountKindName } from "@/lib/referrals/accounts";
import { seededRandom } from "@/lib/seeded-random";
import { recordComputeEvents, recordUsageEvents, type ComputeEvent, type UsageEvent } from "@/lib/rewards/events";
import type { UsageEndpoint } from "@/lib/rewards/rules";

export const DEMO_USER = { email: "demo@example.com", password: "demo-password" };
export const DEMO_PROVIDER = { email: "provider@example.com", password: "demo-password" };
/** Anvil's account 3 (public test key): the demo user's payout wallet on the local chain. */
export const DEMO_WALLET = "0x90f79bf6eb2c4f870365e785982e1f101e93b906";
/** Anvil's account 5: the Kenyan referral's wallet, which the demo's token blacklists. */
export const BLACKLISTED_WALLET: `0x${string}` = "0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc";

/** USD per unit, close to real rates, so the Rift example comes to about $1.53. */
export const DEMO_RATES: Record<CurrencyCode, string> = {
  KES: "0.0077",
  NGN: "0.00063",
  UGX: "0.00027",
  GHS: "0.065",
  ETB: "0.0072",
  CDF: "0.00035",
};

/** The demo's past claims are paid on its own local chain. */
export interface DemoPayouts {
  /** PAYOUT_RPC_URL, PAYOUT_PRIVATE_KEY, PAYOUT_CHAIN_ID and USDC_ADDRESS of that chain. */
  env: Record<string, string>;
  /** The database's URL, for the payout wallet's lock. */
  databaseUrl: string;
  /** Makes the token refuse transfers to an address, as USDC does for a blacklisted wallet. */
  blacklist(address: `0x${string}`): Promise<void>;
}

export interface DemoSummary {
  user: string;
  provider: string;
  users: number;
  providers: number;
}

const DAY_MS = 86_400_000;
/** The demo user and provider joined this many days ago; the 30 days of history lie inside. */
const PROGRAM_DAYS = 34;
/** The demo user's claim, this many days ago: more than the 7-day cooldown, so it can claim again now. */
const PAST_CLAIM_DAYS = 10;
const FAILED_CLAIM_DAYS = 4;
const USER_FAN_OUT = [5, 3, 2];
const PROVIDER_FAN_OUT = [3, 2, 1];
/** The currency each of the demo user's direct referrals transacts in: the first is the Kenyan, the second the Nigerian. */
const REFERRAL_CURRENCIES: CurrencyCode[] = ["KES", "NGN", "UGX", "GHS", "ETB"];
/** A typical transaction per currency, in units (the demo varies it from 0.2 to 1.2 times). */
const TYPICAL_AMOUNT: Record<CurrencyCode, number> = {
  KES: 20_000,
  NGN: 90_000,
  UGX: 400_000,
  GHS: 1_200,
  ETB: 10_000,
  CDF: 150_000,
};
/** The Rift example, after the past claim: the demo user's unclaimed 150 KES + 600 NGN. The last one is written last. */
const RIFT_EXAMPLE = [
  { orderId: "demo-order-kes-1", referral: 0, type: "offramp", amount: 30_000, currency: "KES", daysAgo: 6 },
  { orderId: "demo-order-kes-2", referral: 0, type: "pay", amount: 20_000, currency: "KES", daysAgo: 3 },
  { orderId: "demo-order-ngn-1", referral: 1, type: "offramp", amount: 200_000, currency: "NGN", daysAgo: 1 },
] as const;
const PROVIDER_MODELS = ["llama3.1:8b", "qwen2.5:14b", "mistral:7b", "gemma3:27b", "llama3.2:3b", "nomic-embed-text"];

interface Member {
  externalId: string;
  /** The referrer's externalId; the root's own network has `null` (the root is looked up by email). */
  parent: string | null;
  /** Index in the whole network, root first. */
  index: number;
  level: number;
  joinedDaysAgo: number;
}

/**
 * The network under a root, level by level: fanOut[i] children for each account of level i. Level 1 joins one a
 * day from PROGRAM_DAYS - 1 days ago, level 2 two a day from 28 days ago and level 3 two a day from 20 days ago,
 * so everyone joins after its referrer.
 */
function plan(kind: AccountKindName, fanOut: number[]): Member[] {
  const firstDay = [PROGRAM_DAYS - 1, 28, 20];
  const perDay = [1, 2, 2];
  const members: Member[] = [];
  let parents: (Member | null)[] = [null];
  for (const [depth, children] of fanOut.entries()) {
    const level: Member[] = [];
    for (const [p, parent] of parents.entries()) {
      for (let c = 0; c < children; c++) {
        const n = level.length;
        level.push({
          externalId: `demo-${kind}-${depth + 1}-${p}-${c}`,
          parent: parent?.externalId ?? null,
          index: members.length + n + 1,
          level: depth + 1,
          joinedDaysAgo: firstDay[depth]! - Math.floor(n / perDay[depth]!),
        });
      }
    }
    members.push(...level);
    parents = level;
  }
  return members;
}

export async function seedDemo(db: Db, options: { payouts?: DemoPayouts; now?: Date } = {}): Promise<DemoSummary> {
  const now = options.now ?? new Date();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  /** `minute` minutes past midnight UTC, `daysAgo` days before today; today's writes are dated as they happen. */
  const at = (daysAgo: number, minute: number) =>
    daysAgo === 0 ? undefined : new Date(today - daysAgo * DAY_MS + minute * 60_000);

  const users = plan("user", USER_FAN_OUT);
  const providers = plan("provider", PROVIDER_FAN_OUT);
  const summary = { users: users.length + 1, providers: providers.length + 1 };
  const rates = new Map(
    Object.entries(DEMO_RATES).map(([c, r]) => [c as CurrencyCode, dec(r)] as [CurrencyCode, Decimal]),
  );
  // Demo rates are renewed on every start so claims never meet a stale rate; rates set by anyone else are kept.
  const demoRates = (await db.fxRate.findMany({ select: { source: true } })).every((r) => r.source === "demo");
  const renewRates = async (moment?: Date) => {
    if (demoRates) await setFxRates(db, rates, "demo", { now: moment });
  };

  const last = RIFT_EXAMPLE.at(-1)!.orderId;
  if (await db.feeTransaction.findUnique({ where: { orderId: last }, select: { orderId: true } })) {
    await renewRates();
    return { ...summary, ...(await roots(db)) };
  }

  const joined = new Map<string, string>();
  const root = async (kind: AccountKindName, login: { email: string; password: string }, wallet?: string) => {
    const existing = await db.account.findUnique({ where: { email: login.email }, select: { id: true } });
    if (existing) return existing.id;
    const passwordHash = await hashPassword(login.password);
    const { account } = await createAccount(
      db,
      { kind, email: login.email, passwordHash, walletAddress: wallet },
      { now: at(PROGRAM_DAYS, 9 * 60) },
    );
    return account.id;
  };
  const user = await root("user", DEMO_USER, DEMO_WALLET);
  const provider = await root("provider", DEMO_PROVIDER);
  const join = async (kind: AccountKindName, member: Member, rootId: string, wallet?: string) => {
    const { account } = await createAccount(
      db,
      {
        kind,
        referrer: member.parent === null ? rootId : joined.get(member.parent)!,
        externalId: member.externalId,
        walletAddress: wallet,
      },
      { now: at(member.joinedDaysAgo, 8 * 60 + member.index * 7) },
    );
    joined.set(member.externalId, account.id);
  };
  const idOf = (member: Member) => joined.get(member.externalId)!;
  const kenyan = users[0]!;
  const directReferrals = users.filter((m) => m.level === 1);

  // Seeded, so every demo shows the same month.
  const random = seededRandom(20_240_601);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const amount = (currency: CurrencyCode) =>
    dec(Math.round((TYPICAL_AMOUNT[currency] * (0.2 + random())) / 100) * 100 || 100);

  for (let daysAgo = PROGRAM_DAYS - 1; daysAgo >= 0; daysAgo--) {
    for (const member of users.filter((m) => m.joinedDaysAgo === daysAgo)) {
      await join("user", member, user, member === kenyan ? BLACKLISTED_WALLET : undefined);
    }
    for (const member of providers.filter((m) => m.joinedDaysAgo === daysAgo)) await join("provider", member, provider);

    // Everyone who joined before today uses the API, most days, a few calls a day.
    const usage: UsageEvent[] = [];
    for (const member of [null, ...users.filter((m) => m.joinedDaysAgo > daysAgo)]) {
      const calls = Math.floor(random() * 4.6);
      for (let j = 0; j < calls; j++) {
        const endpoint = pick<UsageEndpoint>([
          "/chat/completions",
          "/chat/completions",
          "/embeddings",
          "/scrape",
          "/tts",
        ]);
        usage.push({
          requestId: `demo-usage-${member?.index ?? 0}-${daysAgo}-${j}`,
          userId: member ? idOf(member) : user,
          endpoint,
          tokens:
            endpoint === "/chat/completions"
              ? 200 + Math.floor(random() * 2800)
              : endpoint === "/embeddings"
                ? 500 + Math.floor(random() * 3500)
                : undefined,
        });
      }
    }
    if (usage.length > 0) await recordUsageEvents(db, usage, { now: at(daysAgo, 11 * 60 + ((daysAgo * 37) % 300)) });

    const compute: ComputeEvent[] = [null, ...providers.filter((m) => m.joinedDaysAgo > daysAgo)].map((member) => {
      const index = member?.index ?? 0;
      const model = PROVIDER_MODELS[index % PROVIDER_MODELS.length]!;
      return {
        eventId: `demo-compute-${index}-${daysAgo}`,
        providerId: member ? idOf(member) : provider,
        tokensGenerated: 20_000 + Math.floor(random() * 100_000),
        requests: 40 + Math.floor(random() * 360),
        uptimeSeconds: daysAgo === 0 ? 6 * 3600 : (18 + Math.floor(random() * 7)) * 3600,
        model,
        endpoint: model.includes("embed") ? "/embeddings" : "/chat/completions",
        latencyMs: 600 + Math.floor(random() * 2400),
      };
    });
    await recordComputeEvents(db, compute, { now: at(daysAgo, 20 * 60) });

    // Transactions, all before noon: the demo user's direct referrals every third day until the past claim (their
    // fees are what that claim paid, so they exist only with it), and their own referrals every fifth day.
    const transactions: { event: TransactionEvent; minute: number }[] = [];
    const transact = (member: Member, currency: CurrencyCode, minute: number) =>
      transactions.push({
        event: {
          orderId: `demo-order-${member.index}-${daysAgo}`,
          userId: idOf(member),
          type: random() < 0.7 ? "offramp" : "pay",
          amount: amount(currency),
          currency,
        },
        minute,
      });
    if (options.payouts && daysAgo > PAST_CLAIM_DAYS) {
      for (const [i, member] of directReferrals.entries()) {
        if (member.joinedDaysAgo > daysAgo && (daysAgo + i) % 3 === 0)
          transact(member, REFERRAL_CURRENCIES[i]!, 9 * 60 + i * 29);
      }
    }
    if (daysAgo > 0) {
      for (const member of users.filter((m) => m.level === 2 && m.joinedDaysAgo > daysAgo)) {
        if ((daysAgo + member.index) % 5 !== 0) continue;
        const currency = REFERRAL_CURRENCIES[directReferrals.findIndex((d) => d.externalId === member.parent)]!;
        transact(member, currency, 9 * 60 + (member.index % 8) * 17);
      }
    }
    for (const { event, minute } of transactions) await recordTransactions(db, [event], { now: at(daysAgo, minute) });

    // After the day's transactions, which are all dated before noon.
    if (options.payouts && daysAgo === PAST_CLAIM_DAYS)
      await pastClaim(options.payouts, user, at(daysAgo, 15 * 60 + 17)!);
    if (options.payouts && daysAgo === FAILED_CLAIM_DAYS) {
      await options.payouts.blacklist(BLACKLISTED_WALLET);
      await pastClaim(options.payouts, idOf(kenyan), at(daysAgo, 14 * 60 + 41)!);
    }
  }

  for (const order of RIFT_EXAMPLE) {
    await recordTransactions(
      db,
      [
        {
          orderId: order.orderId,
          userId: idOf(directReferrals[order.referral]!),
          type: order.type,
          amount: dec(order.amount),
          currency: order.currency,
        },
      ],
      { now: at(order.daysAgo, 16 * 60 + order.daysAgo * 23) },
    );
  }
  await renewRates();
  return { ...summary, user, provider };

  /** A claim as the account made it then, at rates of an hour before; once per account. */
  async function pastClaim(payouts: DemoPayouts, accountId: string, moment: Date) {
    if ((await db.claim.count({ where: { accountId } })) > 0) return;
    await renewRates(new Date(moment.getTime() - 3600_000));
    await claimReferralFees(db, accountId, { env: payouts.env, databaseUrl: payouts.databaseUrl, now: moment });
  }
}

async function roots(db: Db): Promise<{ user: string; provider: string }> {
  const [user, provider] = await Promise.all(
    [DEMO_USER, DEMO_PROVIDER].map((login) =>
      db.account.findUniqueOrThrow({ where: { email: login.email }, select: { id: true } }),
    ),
  );
  return { user: user!.id, provider: provider!.id };
}
