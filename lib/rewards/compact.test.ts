import { beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "@/lib/referrals/accounts";
import { integrationSetup } from "@/lib/testing/integration";
import { checkRewardsConservation } from "./check";
import { compactionCutoff, compactLedger } from "./compact";
import { recordComputeEvents, recordUsageEvents } from "./events";
import { referralStats } from "./stats";

const { db } = await integrationSetup();
let users: string[];
let providers: string[];

/** Moves everything dated so far `days` into the past, ledger and daily history alike (as if it happened then). */
async function age(days: number) {
  await db.prisma.$executeRaw`UPDATE ledger_entry SET created_at = created_at - make_interval(days => ${days}::int)`;
  await db.prisma.$executeRaw`UPDATE account_daily SET day = day - ${days}::int`;
}

let n = 0;
async function activity(count: number) {
  await recordUsageEvents(
    db.prisma,
    Array.from({ length: count }, (_, i) => ({
      requestId: `u${++n}`,
      userId: users[i % users.length]!,
      endpoint: "/chat/completions" as const,
      tokens: i * 37,
    })),
  );
  await recordComputeEvents(
    db.prisma,
    Array.from({ length: count }, (_, i) => ({
      eventId: `c${++n}`,
      providerId: providers[i % providers.length]!,
      tokensGenerated: i,
      requests: 1 + i,
      uptimeSeconds: 60 * i,
    })),
  );
}

/** The ledger's sums per account, column and day — what compaction must keep. */
async function ledgerSums() {
  return db.prisma.$queryRaw<{ account_id: string; col: string; day: string; amount: string }[]>`
    SELECT account_id,
           CASE kind WHEN 'BASE' THEN 'base' WHEN 'DIRECT_BONUS' THEN 'directBonus' WHEN 'SHARE' THEN 'level' || level
                ELSE split_part(source_event, ':', 2) END AS col,
           to_char((created_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day, SUM(amount)::text AS amount
    FROM ledger_entry GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;
}

beforeAll(async () => {
  const chain = async (kind: "user" | "provider", length: number) => {
    const ids: string[] = [];
    for (let i = 0; i < length; i++)
      ids.push((await createAccount(db.prisma, { kind, referrer: ids.at(-1) })).account.id);
    return ids;
  };
  users = await chain("user", 5);
  providers = await chain("provider", 5);
  await activity(40); // will be 130 days old
  await age(30);
  await activity(40); // will be 100 days old
  await age(100);
  await activity(20); // today
});

describe("compactLedger", () => {
  it("folds rows older than the window into daily rollups, changing no sum, total, history or stat", async () => {
    const sumsBefore = await ledgerSums();
    const statsBefore = await Promise.all(
      [...users, ...providers].map((id, i) => referralStats(db.prisma, id, i < users.length ? "USER" : "PROVIDER")),
    );
    const cutoff = compactionCutoff(90, new Date());
    const old = await db.prisma.ledgerEntry.count({ where: { createdAt: { lt: cutoff } } });
    const recent = await db.prisma.ledgerEntry.count({ where: { createdAt: { gte: cutoff } } });
    expect(old).toBeGreaterThan(300);

    // Small chunks: several chunks of one day must add into the same rollup rows, not duplicate them.
    const result = await compactLedger(db.prisma, { olderThanDays: 90, chunkRows: 37 });
    expect(result.folded).toBe(old);
    expect(await db.prisma.ledgerEntry.count({ where: { createdAt: { lt: cutoff }, kind: { not: "ROLLUP" } } })).toBe(
      0,
    );
    expect(await db.prisma.ledgerEntry.count({ where: { createdAt: { gte: cutoff } } })).toBe(recent);
    const rollups = await db.prisma.ledgerEntry.count({ where: { kind: "ROLLUP" } });
    expect(rollups).toBe(
      new Set(
        sumsBefore
          .filter((s) => s.day < cutoff.toISOString().slice(0, 10))
          .map((s) => `${s.account_id}|${s.col}|${s.day}`),
      ).size,
    );

    expect(await ledgerSums()).toEqual(sumsBefore);
    const statsAfter = await Promise.all(
      [...users, ...providers].map((id, i) => referralStats(db.prisma, id, i < users.length ? "USER" : "PROVIDER")),
    );
    expect(statsAfter).toEqual(statsBefore);
    expect(await checkRewardsConservation(db.prisma)).toEqual([]);
  });

  it("running again folds nothing more, and a compacted event still replays as a duplicate", async () => {
    const sums = await ledgerSums();
    expect((await compactLedger(db.prisma, { olderThanDays: 90 })).folded).toBe(0);
    const [replay] = await recordUsageEvents(db.prisma, [
      { requestId: "u1", userId: users[0]!, endpoint: "/chat/completions", tokens: 0 },
    ]);
    expect(replay!.duplicate).toBe(true);
    expect(await ledgerSums()).toEqual(sums);
  });

  it("a later, shorter window folds the next days into rollups of their own", async () => {
    await age(50); // today's rows become 50 days old; everything else older still
    const sums = await ledgerSums();
    const result = await compactLedger(db.prisma, { olderThanDays: 30 });
    expect(result.folded).toBeGreaterThan(0);
    expect(await db.prisma.ledgerEntry.count({ where: { kind: { not: "ROLLUP" } } })).toBe(0);
    expect(await ledgerSums()).toEqual(sums);
    expect(await checkRewardsConservation(db.prisma)).toEqual([]);
  });

  it("refuses a window that is not a positive whole number of days", async () => {
    for (const olderThanDays of [0, -3, 1.5, Number.NaN]) {
      await expect(compactLedger(db.prisma, { olderThanDays })).rejects.toThrow(RangeError);
    }
  });
});
