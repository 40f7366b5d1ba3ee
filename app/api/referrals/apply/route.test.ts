import { describe, expect, it } from "vitest";
import { checkRewardsConservation } from "@/lib/rewards/check";
import { createAccountAsOperator } from "@/lib/testing/accounts";
import { usingRealPostgres } from "@/lib/testing/db";
import { call } from "@/lib/testing/http";
import { integrationSetup } from "@/lib/testing/integration";
import { POST as apply } from "./route";

const { db, auth } = await integrationSetup();

const newAccount = (kind: "user" | "provider" = "user", referrer?: string) =>
  createAccountAsOperator(auth, { kind, referrer });

async function applyAs(accountId: string, code: string) {
  return call(apply, {
    method: "POST",
    path: "/api/referrals/apply",
    headers: await auth.as(accountId),
    body: { code },
  });
}

/** A chain of `length` accounts, each referred by the one before: [root, child, grandchild, …]. */
async function chain(length: number, kind: "user" | "provider" = "user"): Promise<string[]> {
  const ids = [await newAccount(kind)];
  while (ids.length < length) ids.push(await newAccount(kind, ids.at(-1)));
  return ids;
}

async function bonusesPaidTo(accountId: string): Promise<{ count: number; total: string }> {
  const [row] = await db.prisma.$queryRaw<{ count: number; total: string }[]>`
    SELECT COUNT(*)::int AS count, COALESCE(SUM(amount), 0)::text AS total
    FROM ledger_entry WHERE account_id = ${accountId} AND kind = 'DIRECT_BONUS'`;
  return row!;
}

async function directBonusTotal(accountId: string): Promise<string> {
  const [row] = await db.prisma.$queryRaw<{ total: string }[]>`
    SELECT COALESCE(SUM(direct_bonus), 0)::text AS total FROM account_total WHERE account_id = ${accountId}`;
  return Number(row!.total).toString();
}

describe("POST /api/referrals/apply", () => {
  it("sets the referrer and pays a user's code 25 points at once", async () => {
    const referrer = await newAccount();
    const referred = await newAccount();
    const res = await applyAs(referred, referrer);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ referredBy: referrer, directBonus: { accountId: referrer, points: 25 } });
    expect(await bonusesPaidTo(referrer)).toEqual({ count: 1, total: "25.000000000000000000" });
    expect(await directBonusTotal(referrer)).toBe("25");
    const row = await db.prisma.account.findUniqueOrThrow({ where: { id: referred } });
    expect(row.referrerId).toBe(referrer);
    expect(row.referredAt).not.toBeNull();
  });

  it("pays a provider's code 50 points", async () => {
    const referrer = await newAccount("provider");
    const res = await applyAs(await newAccount("provider"), referrer);
    expect(res.status).toBe(200);
    expect(res.json.directBonus).toEqual({ accountId: referrer, points: 50 });
  });

  it("lets the operator apply a code for a named account, and only a named one", async () => {
    const referrer = await newAccount();
    const referred = await newAccount();
    const res = await call(apply, {
      path: "/api/referrals/apply",
      headers: auth.operator,
      body: { code: referrer, accountId: referred },
    });
    expect(res.status).toBe(200);
    expect(res.json.referredBy).toBe(referrer);
    const unnamed = await call(apply, {
      path: "/api/referrals/apply",
      headers: auth.operator,
      body: { code: referrer },
    });
    expect(unnamed.status).toBe(400);
    const unknown = await call(apply, {
      path: "/api/referrals/apply",
      headers: auth.operator,
      body: { code: referrer, accountId: "usr_nobody" },
    });
    expect(unknown.status).toBe(404);
  });

  it("refuses a user applying a code for another account (403) and missing credentials (401/403)", async () => {
    const [a, b, c] = [await newAccount(), await newAccount(), await newAccount()];
    const other = await call(apply, {
      path: "/api/referrals/apply",
      headers: await auth.as(a),
      body: { code: c, accountId: b },
    });
    expect(other.status).toBe(403);
    expect((await call(apply, { path: "/api/referrals/apply", body: { code: c } })).status).toBe(401);
    const pkOnly = { "x-api-key": auth.publishableKey };
    expect((await call(apply, { path: "/api/referrals/apply", headers: pkOnly, body: { code: c } })).status).toBe(401);
    expect(
      (await call(apply, { path: "/api/referrals/apply", headers: { "x-api-key": "sk_wrong" }, body: { code: c } }))
        .status,
    ).toBe(403);
  });

  it.each([[{}], [{ code: "" }], [{ code: 42 }], [{ code: "x".repeat(65) }]])(
    "refuses body %j with 400",
    async (body) => {
      const res = await call(apply, { path: "/api/referrals/apply", headers: await auth.as(await newAccount()), body });
      expect(res.status).toBe(400);
      expect(res.json.error).toBe("Invalid request");
    },
  );

  it("refuses a second referrer: 400 Already referred, and the first relationship stays", async () => {
    const [first, second, referred] = [await newAccount(), await newAccount(), await newAccount()];
    expect((await applyAs(referred, first)).status).toBe(200);
    const again = await applyAs(referred, second);
    expect(again.status).toBe(400);
    expect(again.json.error).toBe("Already referred");
    const same = await applyAs(referred, first);
    expect(same.status).toBe(400);
    expect(same.json.error).toBe("Already referred");
    expect((await db.prisma.account.findUniqueOrThrow({ where: { id: referred } })).referrerId).toBe(first);
    expect(await bonusesPaidTo(first)).toMatchObject({ count: 1 });
    expect(await bonusesPaidTo(second)).toMatchObject({ count: 0 });
  });

  it("refuses the account's own code: 400", async () => {
    const a = await newAccount();
    const res = await applyAs(a, a);
    expect(res.status).toBe(400);
    expect(res.json.error).toBe("Cannot use your own referral code");
  });

  it("refuses a code of the other kind: 400 in both directions", async () => {
    const user = await newAccount("user");
    const provider = await newAccount("provider");
    for (const [who, code] of [
      [user, provider],
      [provider, user],
    ] as const) {
      const res = await applyAs(who, code);
      expect(res.status).toBe(400);
      expect(res.json.error).toBe("Referral kind mismatch");
    }
  });

  it("refuses an unknown code: 404", async () => {
    const res = await applyAs(await newAccount(), "usr_doesnotexist0000000");
    expect(res.status).toBe(404);
    expect(res.json.error).toBe("Referral code not found");
  });

  it.each([2, 3, 4, 5, 8, 13])("refuses a cycle through a descendant %i levels down: 400", async (depth) => {
    const ids = await chain(depth);
    const root = ids[0]!;
    const deepest = ids.at(-1)!;
    const res = await applyAs(root, deepest);
    expect(res.status).toBe(400);
    expect(res.json.error).toBe("Referral would create a loop");
    expect((await db.prisma.account.findUniqueOrThrow({ where: { id: root } })).referrerId).toBeNull();
  });

  it("gives a late-referred account's descendants their new ancestors on levels 2 and 3", async () => {
    const [x1, x2, x3, x4] = await chain(4);
    const y1 = await newAccount();
    expect((await applyAs(x1!, y1)).status).toBe(200);
    const rows = await db.prisma.account.findMany({ where: { id: { in: [x1!, x2!, x3!, x4!] } } });
    const of = (id: string) => rows.find((r) => r.id === id)!;
    expect([of(x1!).referrerId, of(x1!).ancestor2Id, of(x1!).ancestor3Id]).toEqual([y1, null, null]);
    expect([of(x2!).referrerId, of(x2!).ancestor2Id, of(x2!).ancestor3Id]).toEqual([x1, y1, null]);
    expect([of(x3!).referrerId, of(x3!).ancestor2Id, of(x3!).ancestor3Id]).toEqual([x2, x1, y1]);
    expect([of(x4!).referrerId, of(x4!).ancestor2Id, of(x4!).ancestor3Id]).toEqual([x3, x2, x1]);
  });

  it("a late apply under an existing chain fills ancestor3 from the referrer's referrer", async () => {
    const [z1, z2] = await chain(2);
    const [x1, x2, x3] = await chain(3);
    expect((await applyAs(x1!, z2!)).status).toBe(200);
    const rows = await db.prisma.account.findMany({ where: { id: { in: [x1!, x2!, x3!] } } });
    const of = (id: string) => rows.find((r) => r.id === id)!;
    expect([of(x1!).referrerId, of(x1!).ancestor2Id, of(x1!).ancestor3Id]).toEqual([z2, z1, null]);
    expect([of(x2!).referrerId, of(x2!).ancestor2Id, of(x2!).ancestor3Id]).toEqual([x1, z2, z1]);
    expect([of(x3!).referrerId, of(x3!).ancestor2Id, of(x3!).ancestor3Id]).toEqual([x2, x1, z2]);
  });

  it.skipIf(!usingRealPostgres)("20 parallel applies of one code by one account pay one bonus", async () => {
    const referrer = await newAccount();
    const referred = await newAccount();
    const headers = await auth.as(referred);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        call(apply, { path: "/api/referrals/apply", headers, body: { code: referrer } }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, ...Array(19).fill(400)]);
    expect(results.filter((r) => r.status === 400).every((r) => r.json.error === "Already referred")).toBe(true);
    expect(await bonusesPaidTo(referrer)).toEqual({ count: 1, total: "25.000000000000000000" });
    expect(await directBonusTotal(referrer)).toBe("25");
  });

  it.skipIf(!usingRealPostgres)(
    "20 parallel applies of 20 different codes by one account: one wins, one bonus in all",
    async () => {
      const referrers = await Promise.all(Array.from({ length: 20 }, () => newAccount()));
      const referred = await newAccount();
      const headers = await auth.as(referred);
      const results = await Promise.all(
        referrers.map((code) => call(apply, { path: "/api/referrals/apply", headers, body: { code } })),
      );
      const winners = results.filter((r) => r.status === 200);
      expect(winners).toHaveLength(1);
      const [row] = await db.prisma.$queryRaw<{ count: number }[]>`
      SELECT COUNT(*)::int AS count FROM ledger_entry WHERE source_event = ${`referral:${referred}`}`;
      expect(row!.count).toBe(1);
      expect((await db.prisma.account.findUniqueOrThrow({ where: { id: referred } })).referrerId).toBe(
        winners[0]!.json.referredBy,
      );
    },
  );

  it.skipIf(!usingRealPostgres)("two roots applying each other's codes at once never make a loop", async () => {
    for (let round = 0; round < 10; round++) {
      // a1 ← a2 ← a3 and b1 ← b2 ← b3: a1 applies b3 while b1 applies a3.
      const [a, b] = [await chain(3), await chain(3)];
      const results = await Promise.all([applyAs(a[0]!, b[2]!), applyAs(b[0]!, a[2]!)]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 400]);
      expect(results.find((r) => r.status === 400)!.json.error).toBe("Referral would create a loop");
    }
  });

  it.skipIf(!usingRealPostgres)(
    "sign-ups under one root in parallel with the root's own late apply keep every ancestor right",
    async () => {
      const [root, child] = await chain(2);
      const top = await newAccount();
      const joining = await Promise.all(Array.from({ length: 10 }, () => newAccount()));
      const results = await Promise.all([
        applyAs(root!, top),
        ...joining.map((id, i) => applyAs(id, i % 2 === 0 ? root! : child!)),
      ]);
      expect(results.every((r) => r.status === 200)).toBe(true);
      expect(await checkRewardsConservation(db.prisma)).toEqual([]);
    },
  );

  it("leaves the books balanced: graph, network counts, bonuses and totals", async () => {
    expect(await checkRewardsConservation(db.prisma)).toEqual([]);
  });
});
