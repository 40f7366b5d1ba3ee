// Reversals feed the review queue: a referral whose transactions are mostly reversed (at least 5, more than half)
// raises mostly_reversed on its referrer, once; fewer reversals raise nothing.
import { beforeAll, expect, it } from "vitest";
import { dec } from "@/lib/money";
import { createAccount } from "@/lib/referrals/accounts";
import { recordTransactions } from "@/lib/fees/transactions";
import { setRates } from "@/lib/testing/fees";
import { integrationSetup } from "@/lib/testing/integration";
import { reverse } from "./reversals";

const { db } = await integrationSetup();

beforeAll(async () => {
  await setRates(db.prisma, { KES: "0.0077" });
});

async function referralWithTransactions(prefix: string, count: number) {
  const referrer = (await createAccount(db.prisma, { kind: "user" })).account.id;
  const buyer = (await createAccount(db.prisma, { kind: "user", referrer })).account.id;
  await recordTransactions(
    db.prisma,
    Array.from({ length: count }, (_, i) => ({
      orderId: `${prefix}-${i}`,
      userId: buyer,
      type: "offramp" as const,
      amount: dec(1_000),
      currency: "KES" as const,
    })),
  );
  return { referrer, buyer };
}

const reverseOrders = (prefix: string, from: number, to: number) =>
  reverse(
    db.prisma,
    Array.from({ length: to - from }, (_, k) => ({
      reversalId: `rev-${prefix}-${from + k}`,
      source: "transaction" as const,
      sourceId: `${prefix}-${from + k}`,
    })),
    "cli:test",
  );

const signalsOf = (accountId: string) =>
  db.prisma.riskSignal.findMany({ where: { accountId, kind: "mostly_reversed" } });

it("raises mostly_reversed once 5 of a referral's 6 transactions are reversed, and only once", async () => {
  const { referrer, buyer } = await referralWithTransactions("mr", 6);
  await reverseOrders("mr", 0, 4);
  expect(await signalsOf(referrer)).toHaveLength(0);
  await reverseOrders("mr", 4, 5);
  const [signal, ...more] = await signalsOf(referrer);
  expect(more).toHaveLength(0);
  expect(signal!.subject).toBe(`referral:${buyer}`);
  expect(signal!.details).toEqual({ referredId: buyer, transactions: 6, reversed: 5 });
  await reverseOrders("mr", 5, 6);
  expect(await signalsOf(referrer)).toHaveLength(1);
});

it("raises nothing when 5 are reversed but they are not more than half", async () => {
  const { referrer } = await referralWithTransactions("half", 10);
  await reverseOrders("half", 0, 5);
  expect(await signalsOf(referrer)).toHaveLength(0);
});
