// npm run ledger:check catches books that reversals, clawbacks and adjustments could leave wrong: each case
// corrupts books written by the rules, checks, and undoes the corruption.
import { beforeAll, describe, expect, it } from "vitest";
import { checkClaimConservation } from "@/lib/fees/check";
import { claimSettings, openClaim } from "@/lib/fees/claims";
import { dec } from "@/lib/money";
import { createAccount } from "@/lib/referrals/accounts";
import { checkRewardsConservation } from "@/lib/rewards/check";
import { recordUsageEvents } from "@/lib/rewards/events";
import { recordTransactions } from "@/lib/fees/transactions";
import { newWalletAddress, setRates } from "@/lib/testing/fees";
import { integrationSetup } from "@/lib/testing/integration";
import { adjust } from "./adjustments";
import { reverse } from "./reversals";

const { db } = await integrationSetup();
const actor = "cli:check-test" as const;
let voidedOrder: string, clawedOrder: string;

beforeAll(async () => {
  await setRates(db.prisma, { KES: "0.0077" });
  const a = (await createAccount(db.prisma, { kind: "user" })).account.id;
  const b = (await createAccount(db.prisma, { kind: "user", referrer: a })).account.id;
  await recordUsageEvents(db.prisma, [{ requestId: "chk-u", userId: b, endpoint: "/chat/completions", tokens: 1000 }]);
  await reverse(db.prisma, [{ reversalId: "chk-ru", source: "usage", sourceId: "chk-u" }], actor);
  await adjust(db.prisma, { adjustmentId: "chk-ap", accountId: a, unit: "POINTS", amount: dec(5), reason: "x" }, actor);

  const referrerId = (await createAccount(db.prisma, { kind: "user", walletAddress: newWalletAddress() })).account.id;
  const buyer = (await createAccount(db.prisma, { kind: "user", referrer: referrerId })).account.id;
  await recordTransactions(
    db.prisma,
    ["chk-o1", "chk-o2"].map((orderId, i) => ({
      orderId,
      userId: buyer,
      type: "offramp" as const,
      amount: dec(i === 0 ? 50_000 : 20_000),
      currency: "KES" as const,
    })),
  );
  const [first, second] = await db.prisma.feeEntry.findMany({ where: { referrerId }, orderBy: { orderId: "asc" } });
  voidedOrder = first!.orderId;
  await reverse(db.prisma, [{ reversalId: "chk-rv", source: "transaction", sourceId: voidedOrder }], actor);
  await openClaim(db.prisma, referrerId, claimSettings({}), new Date());
  clawedOrder = second!.orderId;
  await reverse(db.prisma, [{ reversalId: "chk-rc", source: "transaction", sourceId: clawedOrder }], actor);
  await adjust(
    db.prisma,
    { adjustmentId: "chk-ak", accountId: referrerId, unit: "KES", amount: dec(-7), reason: "x" },
    actor,
  );
});

async function problemsAfter(corrupt: string, undo: string): Promise<string[]> {
  await db.prisma.$executeRawUnsafe(corrupt);
  try {
    return [...(await checkRewardsConservation(db.prisma)), ...(await checkClaimConservation(db.prisma))];
  } finally {
    await db.prisma.$executeRawUnsafe(undo);
  }
}

describe("the conservation checks with corrections in the books", () => {
  it("find nothing wrong in books written by the rules", async () => {
    expect(await checkRewardsConservation(db.prisma)).toEqual([]);
    expect(await checkClaimConservation(db.prisma)).toEqual([]);
  });

  it.each([
    [
      "a reversal row that is not the negation of its event's row",
      `UPDATE ledger_entry SET amount = amount + 1 WHERE source_event = 'reversal:usage:chk-u' AND level = 0`,
      `UPDATE ledger_entry SET amount = amount - 1 WHERE source_event = 'reversal:usage:chk-u' AND level = 0`,
      "reversal reversal:usage:chk-u level 0",
    ],
    [
      "a POINTS adjustment whose row differs",
      `UPDATE ledger_entry SET amount = 6 WHERE source_event = 'adjustment:chk-ap'`,
      `UPDATE ledger_entry SET amount = 5 WHERE source_event = 'adjustment:chk-ap'`,
      "differs from its adjustment",
    ],
    [
      "a voided fee that a claim holds",
      `UPDATE fee_entry SET voided_at = now() WHERE order_id = '${"CLAWED"}' AND kind = 'FEE'`,
      `UPDATE fee_entry SET voided_at = NULL WHERE order_id = '${"CLAWED"}' AND kind = 'FEE'`,
      "voided and claimed",
    ],
    [
      "a reversed fee neither voided nor clawed back",
      `UPDATE fee_entry SET voided_at = NULL WHERE order_id = '${"VOIDED"}' AND kind = 'FEE'`,
      `UPDATE fee_entry SET voided_at = now() WHERE order_id = '${"VOIDED"}' AND kind = 'FEE'`,
      "neither voided nor clawed back",
    ],
    [
      "a clawback that does not negate its fee",
      `UPDATE fee_entry SET amount_local = -1 WHERE order_id = '${"CLAWED"}' AND kind = 'CLAWBACK'`,
      `UPDATE fee_entry SET amount_local = -60 WHERE order_id = '${"CLAWED"}' AND kind = 'CLAWBACK'`,
      "does not negate",
    ],
    [
      "a currency adjustment entry that differs from its adjustment",
      `UPDATE fee_entry SET amount_local = -8 WHERE order_id = 'adjustment:chk-ak'`,
      `UPDATE fee_entry SET amount_local = -7 WHERE order_id = 'adjustment:chk-ak'`,
      "differs from adjustment chk-ak",
    ],
  ])("report %s", async (_, corrupt, undo, expected) => {
    const orders = (sql: string) => sql.replace("CLAWED", clawedOrder).replace("VOIDED", voidedOrder);
    const problems = await problemsAfter(orders(corrupt), orders(undo));
    expect(problems.join("\n")).toContain(expected);
    expect(await checkClaimConservation(db.prisma)).toEqual([]);
  });
});
