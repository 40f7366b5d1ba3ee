// Group commit of lone transactions (lib/db/group-commit.ts), on a real database: concurrent single-transaction
// requests share statements, yet each gets exactly its own fee, and only an event at fault fails.
import { describe, expect, it } from "vitest";
import { dec } from "@/lib/money";
import { createTransactors } from "@/lib/testing/fees";
import { integrationSetup } from "@/lib/testing/integration";
import { checkClaimConservation } from "./check";
import { InvalidTransactionEvent, recordTransactions, UnknownTransactor, type TransactionEvent } from "./transactions";

const { db } = await integrationSetup();
const [REFERRER, REFERRED, LONER, PROVIDER] = await createTransactors(db.prisma, "gc");

const tx = (orderId: string, userId = REFERRED, amount = "1000"): TransactionEvent => ({
  orderId,
  userId,
  type: "offramp",
  amount: dec(amount),
  currency: "KES",
});
const lone = (event: TransactionEvent) => recordTransactions(db.prisma, [event], { single: true }).then(([r]) => r!);

/** How many statements wrote these transactions: rows written by one share its start time. */
async function statementsOf(orderIds: string[]): Promise<number> {
  const [row] = await db.prisma.$queryRaw<{ n: number }[]>`
    SELECT COUNT(DISTINCT created_at)::int AS n FROM fee_transaction WHERE order_id = ANY(${orderIds}::text[])`;
  return row!.n;
}

describe("lone transactions under concurrency", () => {
  it("writes concurrent requests' transactions together, each answered with its own fees", async () => {
    const events = Array.from({ length: 40 }, (_, i) =>
      tx(`gc-together-${i}`, i % 2 === 0 ? REFERRED : LONER, String(1000 + i)),
    );
    const results = await Promise.all(events.map(lone));

    results.forEach((r, i) => {
      const amount = dec(1000 + i);
      expect(r.orderId).toBe(`gc-together-${i}`);
      expect(r.duplicate).toBe(false);
      expect(r.fee.equals(amount.times("0.015"))).toBe(true);
      expect(r.referrerFee.equals(i % 2 === 0 ? amount.times("0.003") : dec(0))).toBe(true);
      expect(r.referrerId).toBe(i % 2 === 0 ? REFERRER : null);
    });
    // The first two go at once (two batches may be in flight); the other 38 queue behind them as one batch.
    expect(await statementsOf(events.map((e) => e.orderId))).toBeLessThanOrEqual(3);
    expect(await db.prisma.feeEntry.count({ where: { orderId: { startsWith: "gc-together-" } } })).toBe(20);
    expect(await checkClaimConservation(db.prisma)).toEqual([]);
  });

  it("fails only the request whose user is unknown (404) or a provider (400)", async () => {
    const outcomes = await Promise.allSettled([
      lone(tx("gc-ok-1")),
      lone(tx("gc-ok-2", LONER)),
      lone(tx("gc-nobody", "usr_nobody")),
      lone(tx("gc-ok-3")),
      lone(tx("gc-provider", PROVIDER)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled", "rejected"]);
    expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(UnknownTransactor);
    const provider = (outcomes[4] as PromiseRejectedResult).reason;
    expect(provider).toBeInstanceOf(InvalidTransactionEvent);
    expect(provider.message).toBe(`userId: ${PROVIDER} is a provider; Perpetual Earnings counts users' transactions`);
    const recorded = await db.prisma.feeTransaction.findMany({
      where: { orderId: { startsWith: "gc-" }, NOT: { orderId: { startsWith: "gc-together-" } } },
    });
    expect(recorded.map((t) => t.orderId).sort()).toEqual(["gc-ok-1", "gc-ok-2", "gc-ok-3"]);
  });

  it("records concurrent replays of one orderId once, all answered with the first result", async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => lone(tx("gc-same", REFERRED, String(500 + i)))),
    );
    const first = results.filter((r) => !r.duplicate);
    expect(first).toHaveLength(1);
    expect(results.every((r) => r.fee.equals(first[0]!.fee))).toBe(true);
    expect(await db.prisma.feeTransaction.count({ where: { orderId: "gc-same" } })).toBe(1);
    expect(await db.prisma.feeEntry.count({ where: { orderId: "gc-same" } })).toBe(1);
  });

  it("writes each transaction of a failed batch again on its own, so only the one at fault fails", async () => {
    // A stray fee entry under the orderId one transaction will need makes its insert fail, and its batch with it.
    await db.prisma.feeEntry.create({
      data: {
        referrerId: REFERRER,
        transactorId: REFERRED,
        orderId: "gc-clash",
        currency: "KES",
        amountLocal: "1",
        availableAt: new Date(),
      },
    });
    try {
      const ids = ["gc-before-1", "gc-before-2", "gc-clash", "gc-after-1", "gc-after-2", "gc-after-3"];
      const outcomes = await Promise.allSettled(ids.map((id) => lone(tx(id))));
      expect(ids.filter((_, i) => outcomes[i]!.status === "rejected")).toEqual(["gc-clash"]);
      expect(await db.prisma.feeTransaction.count({ where: { orderId: { in: ids } } })).toBe(5);
    } finally {
      await db.prisma.feeEntry.deleteMany({ where: { orderId: "gc-clash" } });
    }
    expect(await checkClaimConservation(db.prisma)).toEqual([]);
  });
});
