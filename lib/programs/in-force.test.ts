/**
 * Every rule reads the version in force: a change applies to the next event, each ledger row and fee entry records
 * the version that produced it, and a replay answers its first result whatever changed since.
 */
import { describe, expect, it } from "vitest";
import { checkClaimConservation } from "@/lib/fees/check";
import { recordTransactions } from "@/lib/fees/transactions";
import { getReferralFeeBalance } from "@/lib/fees/balance";
import { dec } from "@/lib/money";
import { createAccount } from "@/lib/referrals/accounts";
import { applyReferral } from "@/lib/referrals/apply";
import { checkRewardsConservation } from "@/lib/rewards/check";
import { recordComputeEvents, recordUsageEvents } from "@/lib/rewards/events";
import { integrationSetup } from "@/lib/testing/integration";
import { programInForce, updateProgram } from "./store";

const { db } = await integrationSetup();

async function user(referrer?: string): Promise<string> {
  return (await createAccount(db.prisma, { kind: "user", referrer })).account.id;
}

async function versionsOf(sourceEvent: string): Promise<(number | null)[]> {
  const rows = await db.prisma.ledgerEntry.findMany({ where: { sourceEvent }, orderBy: { level: "asc" } });
  return rows.map((r) => r.programVersion);
}

const usage = (requestId: string, userId: string) =>
  recordUsageEvents(db.prisma, [{ requestId, userId, endpoint: "/chat/completions", tokens: 1000 }]);

const plain = (
  results: { points: { toFixed(): string }; shares: { level: number; points: { toFixed(): string } }[] }[],
) => results.map((r) => [r.points.toFixed(), r.shares.map((s) => s.points.toFixed())]);

describe("the rules in force", () => {
  it("prices the next usage event, its shares and a direct bonus by a changed rewards program, and records the version", async () => {
    const top = await user();
    const mid = await user(top);
    const earner = await user(mid);
    expect(await versionsOf(`referral:${mid}`)).toEqual([1]);

    const before = await usage("u-before", earner);
    expect(plain(before)).toEqual([["2", ["0.3", "0.16"]]]);
    expect(await versionsOf("usage:u-before")).toEqual([1, 1, 1]);

    const v2 = await updateProgram(
      db.prisma,
      "rewards",
      { usagePoints: { "/chat/completions": { base: 2 } }, shares: { user: [20, 10] }, directBonus: { user: 30 } },
      "cli:test",
    );
    expect(v2.version).toBe(2);

    const after = await usage("u-after", earner);
    expect(plain(after)).toEqual([["3", ["0.6", "0.3"]]]);
    expect(await versionsOf("usage:u-after")).toEqual([2, 2, 2]);

    const replay = await usage("u-before", earner);
    expect(replay[0]!.duplicate).toBe(true);
    expect(plain(replay)).toEqual(plain(before));

    const late = await user();
    await applyReferral(db.prisma, late, top);
    const bonus = await db.prisma.ledgerEntry.findFirstOrThrow({ where: { sourceEvent: `referral:${late}` } });
    expect([bonus.amount.toString(), bonus.programVersion]).toEqual(["30", 2]);

    expect(await checkRewardsConservation(db.prisma)).toEqual([]);
  });

  it("prices compute events by the rate card in force", async () => {
    const provider = (await createAccount(db.prisma, { kind: "provider" })).account.id;
    const work = { providerId: provider, tokensGenerated: 0, requests: 0, uptimeSeconds: 3600 };
    const [first] = await recordComputeEvents(db.prisma, [{ eventId: "c-1", ...work }]);
    expect(first!.points.toFixed()).toBe("0.036");
    await updateProgram(db.prisma, "rewards", { uptimePointsPerHour: "0.072" }, "cli:test");
    const [second] = await recordComputeEvents(db.prisma, [{ eventId: "c-2", ...work }]);
    expect(second!.points.toFixed()).toBe("0.072");
    const [replay] = await recordComputeEvents(db.prisma, [{ eventId: "c-1", ...work }]);
    expect([replay!.points.toFixed(), replay!.duplicate]).toEqual(["0.036", true]);
    expect(await versionsOf("compute:c-2")).toEqual([(await programInForce(db.prisma, "rewards")).version]);
  });

  it("splits the next transaction by a changed perpetual program, records the version on the transaction and its entry, and replays the first split", async () => {
    const referrer = await user();
    const transactor = await user(referrer);
    const tx = (orderId: string, currency: "KES" | "NGN" = "KES") =>
      recordTransactions(db.prisma, [{ orderId, userId: transactor, type: "offramp", amount: dec(1000), currency }]);
    const fees = (r: Awaited<ReturnType<typeof tx>>) => [r[0]!.fee.toFixed(), r[0]!.referrerFee.toFixed()];

    const first = await tx("o-1");
    expect(fees(first)).toEqual(["15", "3"]);
    await updateProgram(db.prisma, "perpetual", { feePercent: 2, referrerPercent: 0.5 }, "cli:test");
    expect(fees(await tx("o-2"))).toEqual(["20", "5"]);
    const replay = await tx("o-1");
    expect([...fees(replay), replay[0]!.duplicate]).toEqual(["15", "3", true]);

    const stored = await db.prisma.feeTransaction.findMany({
      where: { userId: transactor },
      orderBy: { orderId: "asc" },
    });
    expect(stored.map((t) => t.programVersion)).toEqual([1, 2]);
    const entries = await db.prisma.feeEntry.findMany({ where: { referrerId: referrer }, orderBy: { orderId: "asc" } });
    expect(entries.map((e) => [e.amountLocal.toString(), e.programVersion])).toEqual([
      ["3", 1],
      ["5", 2],
    ]);
    expect(await checkClaimConservation(db.prisma)).toEqual([]);

    await updateProgram(db.prisma, "perpetual", { currencies: ["KES"] }, "cli:test");
    await expect(tx("o-3", "NGN")).rejects.toThrow("events.0.currency: NGN is not a currency of the program (KES)");
    expect(await db.prisma.feeTransaction.count({ where: { orderId: "o-3" } })).toBe(0);
  });

  it("counts the claim cooldown by the program's cooldownDays", async () => {
    const referrer = await user();
    const claimedAt = new Date("2030-01-01T00:00:00.000Z");
    await db.prisma.claim.create({
      data: { accountId: referrer, status: "COMPLETED", amountUsd: "1", walletAddress: "0x0", createdAt: claimedAt },
    });
    const at = new Date("2030-01-03T00:00:00.000Z");
    expect((await getReferralFeeBalance(db.prisma, referrer, at)).nextClaimDate).toBe("2030-01-08T00:00:00.000Z");
    await updateProgram(db.prisma, "perpetual", { cooldownDays: 1 }, "cli:test");
    expect(await getReferralFeeBalance(db.prisma, referrer, at)).toMatchObject({ nextClaimDate: null, canClaim: true });
  });
});
