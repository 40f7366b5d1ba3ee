import { describe, expect, it } from "vitest";
import { POST as postUsage } from "@/app/api/events/usage/route";
import { POST as apply } from "@/app/api/referrals/apply/route";
import { createPrisma, poolOf } from "@/lib/db/client";
import { checkRewardsConservation } from "@/lib/rewards/check";
import { referralStats } from "@/lib/rewards/stats";
import { createAccountAsOperator } from "@/lib/testing/accounts";
import { call } from "@/lib/testing/http";
import { integrationSetup } from "@/lib/testing/integration";
import { GET } from "./route";

const { db, auth } = await integrationSetup();

const newUser = (referrer?: string) => createAccountAsOperator(auth, { kind: "user", referrer });

let n = 0;
async function chat(userId: string, tokens: number) {
  const res = await call(postUsage, {
    path: "/api/events/usage",
    headers: auth.operator,
    body: { requestId: `s-${++n}`, userId, endpoint: "/chat/completions", tokens },
  });
  expect(res.status).toBe(200);
}

const stats = async (userId: string, headers?: Record<string, string>) =>
  call(GET, { path: `/api/user/${userId}/referral-stats`, params: { userId }, headers: headers ?? auth.operator });

function utcDay(daysAgo: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() - daysAgo);
  return d.toISOString().slice(0, 10);
}

describe("GET /api/user/{userId}/referral-stats", () => {
  it("has the contract's shape: 30 history days oldest first ending today (UTC), totals and metrics", async () => {
    const referrer = await newUser();
    const child = await newUser(referrer);
    await chat(child, 1000);
    await chat(referrer, 0);
    const res = await stats(referrer);
    expect(res.status).toBe(200);
    const body = res.json;
    expect(Object.keys(body).sort()).toEqual([
      "accountId",
      "earnings",
      "history",
      "kind",
      "metrics",
      "network",
      "referralCode",
      "referredBy",
    ]);
    expect(body).toMatchObject({ accountId: referrer, kind: "user", referralCode: referrer, referredBy: null });
    expect(body.network).toEqual({ direct: 1, secondary: 0, tertiary: 0, total: 1 });
    const today = { base: 1, directBonus: 25, level1: 0.3, level2: 0, level3: 0, adjustments: 0, total: 26.3 };
    expect(body.earnings).toEqual(today);
    expect(body.history).toHaveLength(30);
    expect(body.history.map((h: { date: string }) => h.date)).toEqual(
      Array.from({ length: 30 }, (_, i) => utcDay(29 - i)),
    );
    expect(body.history[29]).toEqual({ date: utcDay(0), ...today });
    expect(body.history.slice(0, 29).every((h: { total: number }) => h.total === 0)).toBe(true);
    expect(body.metrics).toEqual({
      earnings30d: 26.3,
      activeReferrals30d: 1,
      topReferrals: [{ accountId: child, level: 1, earned: 0.3 }],
    });
  });

  it("late apply: x1 ← x2 ← x3, then x1 is referred by y1 — y1 sees x2 as secondary, x3 as tertiary, and earns their shares", async () => {
    const x1 = await newUser();
    const x2 = await newUser(x1);
    const x3 = await newUser(x2);
    const y1 = await newUser();
    const applied = await call(apply, { path: "/api/referrals/apply", headers: await auth.as(x1), body: { code: y1 } });
    expect(applied.status).toBe(200);

    await chat(x2, 1000); // 2 points: y1 earns 8 % = 0.16
    await chat(x3, 3000); // 4 points: y1 earns 4 % = 0.16, x1 earns 8 % = 0.32
    await chat(x1, 0); // 1 point: y1 earns 15 % = 0.15
    const res = await stats(y1);
    expect(res.json.network).toEqual({ direct: 1, secondary: 1, tertiary: 1, total: 3 });
    expect(res.json.earnings).toEqual({
      base: 0,
      directBonus: 25,
      level1: 0.15,
      level2: 0.16,
      level3: 0.16,
      adjustments: 0,
      total: 25.47,
    });
    expect(res.json.metrics.activeReferrals30d).toBe(3);
    expect(res.json.metrics.topReferrals).toEqual(
      [
        { accountId: x2, level: 2, earned: 0.16 },
        { accountId: x3, level: 3, earned: 0.16 },
        { accountId: x1, level: 1, earned: 0.15 },
      ].sort((a, b) => b.earned - a.earned || (a.accountId < b.accountId ? -1 : 1)),
    );

    const x1Stats = await stats(x1);
    expect(x1Stats.json.referredBy).toBe(y1);
    expect(x1Stats.json.network).toEqual({ direct: 1, secondary: 1, tertiary: 0, total: 2 });
    expect(x1Stats.json.earnings).toMatchObject({ base: 1, level1: 0.3, level2: 0.32, level3: 0 });
  });

  it("network counts follow a late apply of an account with two levels of descendants under a chain", async () => {
    // g ← p ← r, and x with children c1, c2 and grandchild gc (under c1), then x applies r.
    const g = await newUser();
    const p = await newUser(g);
    const r = await newUser(p);
    const x = await newUser();
    const c1 = await newUser(x);
    await newUser(x);
    await newUser(c1);
    await call(apply, { path: "/api/referrals/apply", headers: await auth.as(x), body: { code: r } });
    expect((await stats(r)).json.network).toEqual({ direct: 1, secondary: 2, tertiary: 1, total: 4 });
    expect((await stats(p)).json.network).toEqual({ direct: 1, secondary: 1, tertiary: 2, total: 4 });
    expect((await stats(g)).json.network).toEqual({ direct: 1, secondary: 1, tertiary: 1, total: 3 });
  });

  it("history keeps 30 days; totals are all-time", async () => {
    const u = await newUser();
    await chat(u, 1000); // 2 points, will be 40 days old
    await db.prisma
      .$executeRaw`UPDATE ledger_entry SET created_at = created_at - interval '40 days' WHERE account_id = ${u}`;
    await db.prisma.$executeRaw`UPDATE account_daily SET day = day - 40 WHERE account_id = ${u}`;
    await chat(u, 500); // 1.5 points, will be 10 days old
    await db.prisma.$executeRaw`
      UPDATE ledger_entry SET created_at = created_at - interval '10 days' WHERE account_id = ${u} AND created_at > now() - interval '1 day'`;
    await db.prisma
      .$executeRaw`UPDATE account_daily SET day = day - 10 WHERE account_id = ${u} AND day = (now() AT TIME ZONE 'UTC')::date`;
    await chat(u, 0); // 1 point today
    const body = (await stats(u)).json;
    expect(body.earnings.total).toBe(4.5);
    expect(body.history.find((h: { date: string }) => h.date === utcDay(10)).base).toBe(1.5);
    expect(body.history[29].base).toBe(1);
    expect(body.history.reduce((t: number, h: { total: number }) => t + h.total, 0)).toBe(2.5);
    expect(body.metrics.earnings30d).toBe(2.5);
  });

  it("counts a referral as active only while its latest share is within the 30 days", async () => {
    const r = await newUser();
    const quiet = await newUser(r);
    const busy = await newUser(r);
    await chat(quiet, 10);
    await chat(busy, 10);
    expect((await stats(r)).json.metrics.activeReferrals30d).toBe(2);
    // Both last paid 40 days ago (contribution and its bucket move together, as if it had happened then).
    await db.prisma
      .$executeRaw`UPDATE referral_contribution SET last_earned_at = last_earned_at - interval '40 days' WHERE beneficiary_id = ${r}`;
    await db.prisma.$executeRaw`UPDATE active_referral_day SET day = day - 40 WHERE beneficiary_id = ${r}`;
    expect((await stats(r)).json.metrics.activeReferrals30d).toBe(0);
    await chat(busy, 10);
    await chat(busy, 20);
    const body = (await stats(r)).json;
    expect(body.metrics.activeReferrals30d).toBe(1);
    expect(body.metrics.topReferrals.map((t: { accountId: string }) => t.accountId)).toEqual([busy, quiet]);
    expect(await checkRewardsConservation(db.prisma)).toEqual([]);
  });

  it("lets an account read itself (200) but not another (403)", async () => {
    const a = await newUser();
    const b = await newUser();
    expect((await stats(a, await auth.as(a))).status).toBe(200);
    expect((await stats(b, await auth.as(a))).status).toBe(403);
    expect((await stats(a, {})).status).toBe(401);
  });

  it("answers 404 for an unknown id and for a provider id", async () => {
    const provider = await createAccountAsOperator(auth, { kind: "provider" });
    expect((await stats("usr_unknown")).status).toBe(404);
    const res = await stats(provider);
    expect(res.status).toBe(404);
    expect(res.json.error).toBe("User not found");
  });

  it("makes one query whatever the network's size", async () => {
    const counted = createPrisma(db.url);
    const pool = poolOf(counted);
    let queries = 0;
    const query = pool.query.bind(pool);
    pool.query = ((...args: Parameters<typeof query>) => {
      queries++;
      return query(...args);
    }) as typeof pool.query;
    try {
      const small = await newUser();
      const big = await newUser();
      const children = [];
      for (let i = 0; i < 30; i++) children.push(await newUser(big));
      for (const child of children.slice(0, 10)) await newUser(child);
      for (const child of children.slice(0, 10)) await chat(child, 10);
      for (const id of [small, big]) {
        queries = 0;
        await referralStats(counted, id, "USER");
        expect(queries).toBe(1);
      }
    } finally {
      await counted.$disconnect();
    }
  });

  it("leaves the books balanced", async () => {
    expect(await checkRewardsConservation(db.prisma)).toEqual([]);
  });
});
