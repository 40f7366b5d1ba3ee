// Group commit of lone events (lib/db/group-commit.ts, as events.ts uses it), on a real database: concurrent
// single-event requests share transactions, yet each gets exactly its own outcome.
import { beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "@/lib/referrals/accounts";
import { integrationSetup } from "@/lib/testing/integration";
import { checkRewardsConservation } from "./check";
import { recordComputeEvents, recordUsageEvents, UnknownEarner, type UsageEvent } from "./events";

const { db } = await integrationSetup();
/** a ← b ← c ← d: d's referrers are c, b, a. */
let a: string, b: string, c: string, d: string, provider: string;

beforeAll(async () => {
  const user = async (referrer?: string) => (await createAccount(db.prisma, { kind: "user", referrer })).account.id;
  a = await user();
  b = await user(a);
  c = await user(b);
  d = await user(c);
  provider = (await createAccount(db.prisma, { kind: "provider" })).account.id;
});

const lone = (event: UsageEvent) => recordUsageEvents(db.prisma, [event], { single: true }).then(([r]) => r!);

/** How many transactions wrote these events: rows of one transaction share its start time. */
async function transactionsOf(requestIds: string[]): Promise<number> {
  const [row] = await db.prisma.$queryRaw<{ n: number }[]>`
    SELECT COUNT(DISTINCT created_at)::int AS n FROM ledger_entry
    WHERE level = 0 AND source_event = ANY(${requestIds.map((id) => `usage:${id}`)}::text[])`;
  return row!.n;
}

describe("lone events under concurrency", () => {
  it("writes concurrent requests' events together, each answered with its own points and shares", async () => {
    const events = Array.from({ length: 40 }, (_, i) => ({
      requestId: `together-${i}`,
      userId: i % 2 === 0 ? d : b,
      endpoint: "/chat/completions" as const,
      tokens: i * 10,
    }));
    const results = await Promise.all(events.map(lone));

    results.forEach((r, i) => {
      const points = 1 + i * 10 * 0.001;
      expect(r.requestId).toBe(`together-${i}`);
      expect(r.duplicate).toBe(false);
      expect(r.points.toNumber()).toBeCloseTo(points, 12);
      expect(r.shares.map((s) => s.accountId)).toEqual(i % 2 === 0 ? [c, b, a] : [a]);
      expect(r.shares[0]!.points.toNumber()).toBeCloseTo(points * 0.15, 12);
    });
    // The first two go at once (two batches may be in flight); the other 38 queue behind them as one batch.
    expect(await transactionsOf(events.map((e) => e.requestId))).toBeLessThanOrEqual(3);
    expect(await checkRewardsConservation(db.prisma)).toEqual([]);
  });

  it("fails only the request whose user is unknown (404) or of the other kind", async () => {
    const outcomes = await Promise.allSettled([
      lone({ requestId: "ok-1", userId: d, endpoint: "/scrape" }),
      lone({ requestId: "ok-2", userId: c, endpoint: "/scrape" }),
      lone({ requestId: "nobody", userId: "usr_nobody", endpoint: "/scrape" }),
      lone({ requestId: "ok-3", userId: d, endpoint: "/tts" }),
      lone({ requestId: "provider", userId: provider, endpoint: "/tts" }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled", "rejected"]);
    for (const i of [2, 4]) {
      const reason = (outcomes[i] as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(UnknownEarner);
      expect(reason).toMatchObject({ code: "not_found", error: "User not found" });
    }
    const recorded = await db.prisma.rewardEvent.findMany({
      where: { externalId: { in: ["ok-1", "ok-2", "nobody", "ok-3", "provider"] } },
    });
    expect(recorded.map((e) => e.externalId).sort()).toEqual(["ok-1", "ok-2", "ok-3"]);
  });

  it("credits concurrent replays of one id once, all answered with the first result", async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        lone({ requestId: "same", userId: d, endpoint: "/embeddings", tokens: 100 + i }),
      ),
    );
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.points.toString()))).toEqual(
      new Set([results.find((r) => !r.duplicate)!.points.toString()]),
    );
    expect(await db.prisma.ledgerEntry.count({ where: { sourceEvent: "usage:same" } })).toBe(4);
  });

  it("writes each event of a failed batch again on its own, so only the event at fault fails", async () => {
    // A stray ledger row under the key one event will need makes that event's insert fail, and its batch with it.
    await db.prisma.$executeRaw`
      INSERT INTO ledger_entry (account_id, unit, amount, kind, level, source_event, origin_account_id)
      VALUES (${d}, 'POINTS', 1, 'BASE', 0, 'usage:clash', ${d})`;
    try {
      const ids = ["before-1", "before-2", "clash", "after-1", "after-2", "after-3"];
      const outcomes = await Promise.allSettled(
        ids.map((requestId) => lone({ requestId, userId: d, endpoint: "/tts" })),
      );
      expect(ids.filter((_, i) => outcomes[i]!.status === "rejected")).toEqual(["clash"]);
      expect(await db.prisma.rewardEvent.count({ where: { externalId: { in: ids } } })).toBe(5);
    } finally {
      await db.prisma.$executeRaw`DELETE FROM ledger_entry WHERE source_event = 'usage:clash'`;
    }
    expect(await checkRewardsConservation(db.prisma)).toEqual([]);
  });

  it("group-commits compute events the same way", async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        recordComputeEvents(
          db.prisma,
          [{ eventId: `compute-${i}`, providerId: provider, tokensGenerated: 0, requests: 1, uptimeSeconds: 0 }],
          { single: true },
        ),
      ),
    );
    expect(results.flat().map((r) => r.duplicate)).toEqual(Array(10).fill(false));
    expect(await checkRewardsConservation(db.prisma)).toEqual([]);
  });
});
