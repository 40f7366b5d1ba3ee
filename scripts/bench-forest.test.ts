import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyReferral } from "@/lib/referrals/apply";
import { checkRewardsConservation } from "@/lib/rewards/check";
import { recordUsageEvents } from "@/lib/rewards/events";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/db";
import { MAX_DEPTH, planForest, writeForest, type Forest } from "./bench/forest";

describe("planForest", () => {
  const plan = planForest(20_000, 7);

  it("is reproducible from its seed", () => {
    expect(planForest(20_000, 7).parent).toEqual(plan.parent);
    expect(planForest(20_000, 8).parent).not.toEqual(plan.parent);
  });

  it("keeps every referral inside its own range, to an older account, at most MAX_DEPTH levels deep", () => {
    // Ranges: the main users, each apply target's network, the providers.
    const starts = [0, ...plan.applyRoots, plan.users];
    const range = (n: number) => starts.findLastIndex((start) => n >= start);
    const wrong: string[] = [];
    for (let n = 0; n < plan.accounts; n++) {
      const p = plan.parent[n]!;
      const d = plan.depth[n]!;
      if (p < 0 ? d !== 0 : p >= n || range(p) !== range(n) || d !== plan.depth[p]! + 1 || d > MAX_DEPTH) {
        wrong.push(`${n} → ${p} at depth ${d}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(Math.max(...plan.depth)).toBe(MAX_DEPTH);
  });

  it("is a power law: most accounts refer nobody, a few refer hundreds", () => {
    const direct = new Int32Array(plan.accounts);
    for (const p of plan.parent) if (p >= 0) direct[p]!++;
    const referNobody = direct.filter((d) => d === 0).length / plan.accounts;
    expect(referNobody).toBeGreaterThan(0.6);
    expect(Math.max(...direct)).toBeGreaterThan(500);
  });

  it("puts each apply target's whole range under the target, which has no referrer", () => {
    const ends = [...plan.applyRoots.slice(1), plan.users];
    plan.applyRoots.forEach((root, i) => {
      expect(plan.parent[root]).toBe(-1);
      const outside = [];
      for (let n = root + 1; n < ends[i]!; n++) if (plan.parent[n]! < root) outside.push(n);
      expect(outside).toEqual([]);
    });
  });
});

describe("writeForest", () => {
  let db: TestDatabase;
  let forest: Forest;

  beforeAll(async () => {
    db = await createTestDatabase();
    forest = await writeForest(db.prisma, planForest(20_000, 7));
  });

  afterAll(async () => {
    await db?.drop();
  });

  it("leaves books the conservation check finds balanced: ancestors, network counts, bonuses, totals, history", async () => {
    expect(await checkRewardsConservation(db.prisma)).toEqual([]);
    const [counts] = await db.prisma.$queryRaw<{ accounts: number; bonuses: number; referred: number }[]>`
      SELECT (SELECT COUNT(*)::int FROM account) AS accounts,
             (SELECT COUNT(*)::int FROM ledger_entry WHERE kind = 'DIRECT_BONUS') AS bonuses,
             (SELECT COUNT(*)::int FROM account WHERE referrer_id IS NOT NULL) AS referred`;
    expect(counts).toEqual({ accounts: 20_000, bonuses: forest.referred, referred: forest.referred });
  });

  it("names the largest network and unreferred apply targets whose networks are their whole ranges", async () => {
    const [hub] = await db.prisma.$queryRaw<{ direct: number; secondary: number; tertiary: number }[]>`
      SELECT (SELECT COUNT(*)::int FROM account WHERE referrer_id = ${forest.hub.id}) AS direct,
             (SELECT COUNT(*)::int FROM account WHERE ancestor2_id = ${forest.hub.id}) AS secondary,
             (SELECT COUNT(*)::int FROM account WHERE ancestor3_id = ${forest.hub.id}) AS tertiary`;
    expect(forest.hub).toMatchObject(hub!);
    const [larger] = await db.prisma.$queryRaw<{ n: number }[]>`
      SELECT COUNT(*)::int AS n FROM (
        SELECT account_id FROM network_count GROUP BY account_id
        HAVING SUM(direct + secondary + tertiary) > ${hub!.direct + hub!.secondary + hub!.tertiary}) x`;
    expect(larger!.n).toBe(0);

    expect(forest.applyTargets).toHaveLength(3);
    for (const target of forest.applyTargets) {
      const [found] = await db.prisma.$queryRaw<{ referrer_id: string | null; descendants: number; direct: number }[]>`
        WITH RECURSIVE down (id, depth) AS (
          SELECT id, 0 FROM account WHERE id = ${target.id}
          UNION ALL SELECT a.id, down.depth + 1 FROM account a JOIN down ON a.referrer_id = down.id
        )
        SELECT (SELECT referrer_id FROM account WHERE id = ${target.id}) AS referrer_id,
               (SELECT COUNT(*)::int - 1 FROM down) AS descendants, (SELECT COUNT(*)::int FROM down WHERE depth = 1) AS direct`;
      expect(found).toEqual({ referrer_id: null, descendants: target.descendants, direct: target.direct });
      expect(target.descendants).toBeGreaterThan(600);
    }
  });

  it("lets the engine carry on from it: a late apply of the target and usage events keep the books balanced", async () => {
    const target = forest.applyTargets[0]!;
    const applied = await applyReferral(db.prisma, target.id, forest.applyCode);
    expect(applied.referredBy).toBe(forest.applyCode);
    const [code] = await db.prisma.$queryRaw<{ direct: number; secondary: number; tertiary: number }[]>`
      SELECT SUM(direct)::int AS direct, SUM(secondary)::int AS secondary, SUM(tertiary)::int AS tertiary
      FROM network_count WHERE account_id = ${forest.applyCode}`;
    expect(code!.secondary).toBeGreaterThanOrEqual(target.direct);

    const earners = await db.prisma.$queryRaw<{ id: string }[]>`
      SELECT id FROM account WHERE kind = 'USER' AND ancestor3_id IS NOT NULL ORDER BY id LIMIT 50`;
    await recordUsageEvents(
      db.prisma,
      earners.map((e, i) => ({
        requestId: `r${i}`,
        userId: e.id,
        endpoint: "/chat/completions" as const,
        tokens: 100 + i,
      })),
    );
    expect(await checkRewardsConservation(db.prisma)).toEqual([]);
  });
});
