/**
 * Property test of the money operations on a real database: random sequences of usage events, transactions,
 * reversals (of either, replayed or not), adjustments in points and in a currency, and claims that complete or
 * fail. After every sequence:
 *   - the conservation checks (npm run ledger:check) find nothing;
 *   - every account's points equal those of the events never reversed, plus its adjustments, plus its bonuses —
 *     the direct bonuses exactly as paid, whatever was reversed;
 *   - per referrer and currency, what claims took (paid or in flight) plus what is still unclaimed equals the fees
 *     of transactions never reversed plus the currency adjustments: a voided or clawed-back fee is never paid
 *     twice and never lost.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DomainError } from "@/lib/errors";
import { failClaim } from "@/lib/fees/claim-state";
import { checkClaimConservation } from "@/lib/fees/check";
import { claimSettings, openClaim } from "@/lib/fees/claims";
import { recordTransactions } from "@/lib/fees/transactions";
import { dec, type Decimal } from "@/lib/money";
import { checkRewardsConservation } from "@/lib/rewards/check";
import { recordUsageEvents } from "@/lib/rewards/events";
import { createAccount } from "@/lib/referrals/accounts";
import { referralStats } from "@/lib/rewards/stats";
import { setRates } from "@/lib/testing/fees";
import { integrationSetup } from "@/lib/testing/integration";
import { adjust } from "./adjustments";
import { AlreadyReversed, reverse } from "./reversals";

const { db } = await integrationSetup();
await setRates(db.prisma, { KES: "0.0077", NGN: "0.00063" });

type Op =
  | { op: "usage"; id: number; earner: number; tokens: number }
  | { op: "reverseUsage"; id: number; reversal: number }
  | { op: "transaction"; id: number; buyer: number; amount: number; currency: "KES" | "NGN" }
  | { op: "reverseTransaction"; id: number; reversal: number }
  | { op: "adjustPoints"; account: number; amount: number }
  | { op: "adjustCurrency"; account: number; amount: number; currency: "KES" | "NGN" }
  | { op: "claim"; account: number; outcome: "complete" | "fail" };

const ops: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constant("usage" as const),
    id: fc.nat(5),
    earner: fc.nat(2),
    tokens: fc.integer({ min: 0, max: 3000 }),
  }),
  fc.record({ op: fc.constant("reverseUsage" as const), id: fc.nat(5), reversal: fc.nat(7) }),
  fc.record({
    op: fc.constant("transaction" as const),
    id: fc.nat(5),
    buyer: fc.integer({ min: 1, max: 2 }),
    amount: fc.integer({ min: 1, max: 500_000 }),
    currency: fc.constantFrom("KES" as const, "NGN" as const),
  }),
  fc.record({ op: fc.constant("reverseTransaction" as const), id: fc.nat(5), reversal: fc.nat(7) }),
  fc.record({
    op: fc.constant("adjustPoints" as const),
    account: fc.nat(2),
    amount: fc.integer({ min: -50, max: 50 }).filter((n) => n !== 0),
  }),
  fc.record({
    op: fc.constant("adjustCurrency" as const),
    account: fc.nat(1),
    amount: fc.integer({ min: -2000, max: 2000 }).filter((n) => n !== 0),
    currency: fc.constantFrom("KES" as const, "NGN" as const),
  }),
  fc.record({
    op: fc.constant("claim" as const),
    account: fc.nat(1),
    outcome: fc.constantFrom("complete" as const, "fail" as const),
  }),
);

let sequence = 0;

async function run(steps: Op[]): Promise<void> {
  const tag = `m${++sequence}`;
  // a ← b ← c: a refers b, b refers c; a and b earn shares and fees.
  const a = (await createAccount(db.prisma, { kind: "user" })).account.id;
  const b = (await createAccount(db.prisma, { kind: "user", referrer: a })).account.id;
  const c = (await createAccount(db.prisma, { kind: "user", referrer: b })).account.id;
  const now = new Date();
  const accounts = [a, b, c];
  const points = new Map<string, Decimal>(accounts.map((id) => [id, dec(0)]));
  const eventPoints = new Map<string, { accountId: string; points: Decimal }[]>();
  const reversedSources = new Map<string, string>();
  const usedReversals = new Map<string, string>();
  const owed = new Map<string, Decimal>();
  const owe = (account: string, currency: string, amount: Decimal) =>
    owed.set(`${account}:${currency}`, (owed.get(`${account}:${currency}`) ?? dec(0)).plus(amount));
  const fees = new Map<string, { referrer: string; currency: string; amount: Decimal }>();
  let day = 0;
  const adjustBy = (accountId: string, unit: "POINTS" | "KES" | "NGN", amount: number) =>
    adjust(
      db.prisma,
      { adjustmentId: `${tag}-a${day++}`, accountId, unit, amount: dec(amount), reason: "m" },
      "cli:model-test",
    );

  for (const step of steps) {
    switch (step.op) {
      case "usage": {
        const id = `${tag}-u${step.id}`;
        const [result] = await recordUsageEvents(db.prisma, [
          { requestId: id, userId: accounts[step.earner]!, endpoint: "/chat/completions", tokens: step.tokens },
        ]);
        if (!result!.duplicate) {
          const rows = [
            { accountId: accounts[step.earner]!, points: result!.points },
            ...result!.shares.map((s) => ({ accountId: s.accountId, points: s.points })),
          ];
          eventPoints.set(id, rows);
          for (const r of rows) points.set(r.accountId, points.get(r.accountId)!.plus(r.points));
        }
        break;
      }
      case "transaction": {
        const id = `${tag}-t${step.id}`;
        const [result] = await recordTransactions(db.prisma, [
          {
            orderId: id,
            userId: accounts[step.buyer]!,
            type: "offramp",
            amount: dec(step.amount),
            currency: step.currency,
          },
        ]);
        if (!result!.duplicate) {
          const referrer = accounts[step.buyer - 1]!;
          fees.set(id, { referrer, currency: step.currency, amount: result!.referrerFee });
          owe(referrer, step.currency, result!.referrerFee);
        }
        break;
      }
      case "reverseUsage":
      case "reverseTransaction": {
        const usage = step.op === "reverseUsage";
        const sourceId = `${tag}-${usage ? "u" : "t"}${step.id}`;
        const known = usage ? eventPoints.has(sourceId) : fees.has(sourceId);
        const reversalId = `${tag}-r${usage ? "u" : "t"}${step.reversal}`;
        // A reversalId used before answers its first result, whatever this request names.
        const replay = usedReversals.get(reversalId);
        try {
          const [result] = await reverse(
            db.prisma,
            [{ reversalId, source: usage ? "usage" : "transaction", sourceId }],
            "cli:model-test",
            { single: true },
          );
          expect(result!.duplicate).toBe(replay !== undefined);
          expect(result!.sourceId).toBe(replay ?? sourceId);
          if (replay === undefined) {
            expect(known).toBe(true);
            expect(reversedSources.has(sourceId)).toBe(false);
            usedReversals.set(reversalId, sourceId);
            reversedSources.set(sourceId, reversalId);
            if (usage) {
              for (const r of eventPoints.get(sourceId)!)
                points.set(r.accountId, points.get(r.accountId)!.minus(r.points));
            } else {
              const fee = fees.get(sourceId)!;
              owe(fee.referrer, fee.currency, fee.amount.negated());
            }
          }
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          expect(replay).toBeUndefined();
          if (error instanceof AlreadyReversed) expect(reversedSources.has(sourceId)).toBe(true);
          else expect(known).toBe(false);
        }
        break;
      }
      case "adjustPoints": {
        const account = accounts[step.account]!;
        await adjustBy(account, "POINTS", step.amount);
        points.set(account, points.get(account)!.plus(step.amount));
        break;
      }
      case "adjustCurrency": {
        const account = accounts[step.account]!;
        await adjustBy(account, step.currency, step.amount);
        owe(account, step.currency, dec(step.amount));
        break;
      }
      case "claim": {
        // Each claim a week after the last, so the cooldown never hides a case.
        const when = new Date(now.getTime() + ++day * 8 * 86_400_000);
        try {
          const claim = await openClaim(db.prisma, accounts[step.account]!, claimSettings({}), when);
          if (step.outcome === "fail") await failClaim(db.prisma, claim.id, "model test");
          else {
            await db.prisma.claim.update({
              where: { id: claim.id },
              data: { status: "COMPLETED", transactionHash: `0x${claim.id.replace(/-/g, "")}`, completedAt: when },
            });
          }
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
        }
        break;
      }
    }
  }

  expect(await checkRewardsConservation(db.prisma)).toEqual([]);
  expect(await checkClaimConservation(db.prisma)).toEqual([]);
  for (const [index, id] of accounts.entries()) {
    const stats = await referralStats(db.prisma, id, "USER");
    const bonus = index < 2 ? 25 : 0;
    expect(stats.earnings.directBonus.toFixed()).toBe(String(bonus));
    expect(stats.earnings.total.minus(bonus).toFixed()).toBe(points.get(id)!.toFixed());
  }
  for (const id of [a, b]) {
    for (const currency of ["KES", "NGN"] as const) {
      const [row] = await db.prisma.$queryRaw<{ held: string }[]>`
        SELECT COALESCE(SUM(e.amount_local), 0)::text AS held FROM fee_entry e LEFT JOIN claim c ON c.id = e.claim_id
        WHERE e.referrer_id = ${id} AND e.currency = ${currency}::"Currency" AND e.voided_at IS NULL
          AND (e.claim_id IS NULL OR c.status IN ('PENDING', 'COMPLETED'))`;
      expect(dec(row!.held).toFixed()).toBe((owed.get(`${id}:${currency}`) ?? dec(0)).toFixed());
    }
  }
}

describe("money operations, model-based", () => {
  it("random sequences of events, reversals, adjustments and claims always balance", async () => {
    await fc.assert(fc.asyncProperty(fc.array(ops, { minLength: 1, maxLength: 30 }), run), {
      numRuns: Number(process.env.MODEL_RUNS ?? "25"),
    });
  }, 600_000);
});
