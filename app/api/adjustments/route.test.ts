import { beforeAll, describe, expect, it } from "vitest";
import { POST as createAccount } from "@/app/api/accounts/route";
import { POST as postTransactions } from "@/app/api/events/transactions/route";
import { GET as balanceRoute } from "@/app/api/referral-fees/balance/route";
import { GET as entriesRoute } from "@/app/api/referral-fees/entries/route";
import { GET as userStats } from "@/app/api/user/[userId]/referral-stats/route";
import { checkClaimConservation } from "@/lib/fees/check";
import { checkRewardsConservation } from "@/lib/rewards/check";
import { usingRealPostgres } from "@/lib/testing/db";
import { setRates } from "@/lib/testing/fees";
import { call } from "@/lib/testing/http";
import { integrationSetup } from "@/lib/testing/integration";
import { POST } from "./route";

const { db, auth } = await integrationSetup();
let referrer: string, user: string;

async function newAccount(referrerId?: string): Promise<string> {
  const res = await call(createAccount, {
    path: "/api/accounts",
    headers: auth.operator,
    body: { kind: "user", referrer: referrerId },
  });
  expect(res.status).toBe(201);
  return res.json.id as string;
}

beforeAll(async () => {
  referrer = await newAccount();
  user = await newAccount(referrer);
  await setRates(db.prisma, { KES: "0.0077", NGN: "0.00063" });
});

const adjust = (body: unknown, headers: Record<string, string> = auth.operator) =>
  call(POST, { path: "/api/adjustments", headers, body });
const stats = async (userId: string) =>
  (await call(userStats, { path: `/api/user/${userId}/referral-stats`, params: { userId }, headers: auth.operator }))
    .json;

async function conserved() {
  expect(await checkRewardsConservation(db.prisma)).toEqual([]);
  expect(await checkClaimConservation(db.prisma)).toEqual([]);
}

describe("POINTS adjustments", () => {
  it("credits the account's all-time earnings and today's history, never its referrers", async () => {
    const res = await adjust({
      adjustmentId: "adj-1",
      accountId: user,
      unit: "POINTS",
      amount: 12.5,
      reason: "goodwill",
    });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      id: expect.any(String),
      adjustmentId: "adj-1",
      accountId: user,
      unit: "POINTS",
      amount: 12.5,
      reason: "goodwill",
      createdAt: expect.any(String),
    });
    const mine = await stats(user);
    expect(mine.earnings).toMatchObject({ base: 0, adjustments: 12.5, total: 12.5 });
    expect(mine.history[29]).toMatchObject({ adjustments: 12.5, total: 12.5 });
    expect(mine.metrics.earnings30d).toBe(12.5);
    expect((await stats(referrer)).earnings).toMatchObject({ level1: 0, directBonus: 25, total: 25 });

    const debit = await adjust({ adjustmentId: "adj-2", accountId: user, unit: "POINTS", amount: "-2.5", reason: "x" });
    expect(debit.status).toBe(201);
    expect((await stats(user)).earnings).toMatchObject({ adjustments: 10, total: 10 });
    await conserved();

    const audit = await db.prisma.auditLog.findMany({ where: { action: "adjustment.created", target: user } });
    expect(audit.map((a) => a.details)).toContainEqual({
      adjustmentId: "adj-1",
      unit: "POINTS",
      amount: "12.5",
      reason: "goodwill",
    });
    const events = await db.prisma.webhookEvent.findMany({ where: { type: "adjustment.created" } });
    expect(events.map((e) => e.data)).toContainEqual({
      accountId: user,
      adjustmentId: "adj-1",
      unit: "POINTS",
      amount: 12.5,
    });
  });

  it("answers the same adjustmentId with 200 and the first body, whatever the second says", async () => {
    const first = await adjust({ adjustmentId: "adj-3", accountId: user, unit: "POINTS", amount: 1, reason: "a" });
    const again = await adjust({ adjustmentId: "adj-3", accountId: user, unit: "POINTS", amount: 99, reason: "b" });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.json).toEqual(first.json);
    expect((await stats(user)).earnings.adjustments).toBe(11);
  });
});

describe("currency adjustments", () => {
  it("adds an entry of kind adjustment that the balance nets like any other", async () => {
    await call(postTransactions, {
      path: "/api/events/transactions",
      headers: auth.operator,
      body: { orderId: "adj-order", userId: user, type: "offramp", amount: 50_000, currency: "KES" },
    });
    const res = await adjust({ adjustmentId: "adj-k", accountId: referrer, unit: "KES", amount: -50, reason: "fix" });
    expect(res.status).toBe(201);
    const headers = await auth.as(referrer);
    const entries = (await call(entriesRoute, { path: "/api/referral-fees/entries", headers })).json;
    expect(entries.entries[0]).toMatchObject({
      orderId: "adjustment:adj-k",
      amountLocal: -50,
      currency: "KES",
      kind: "adjustment",
      transactorUserId: null,
    });
    expect(entries.entries[1]).toMatchObject({ orderId: "adj-order", kind: "fee" });
    const balance = (await call(balanceRoute, { path: "/api/referral-fees/balance", headers })).json;
    expect(balance).toMatchObject({ totalUsd: 0.77, entryCount: 2 });
    expect(balance.currencyBreakdown).toEqual([{ currency: "KES", amount: 100, amountUsd: 0.77 }]);
    await conserved();
  });
});

describe("refusals", () => {
  it("404 for an unknown account, nothing recorded", async () => {
    const res = await adjust({
      adjustmentId: "adj-404",
      accountId: "usr_nobody",
      unit: "POINTS",
      amount: 1,
      reason: "x",
    });
    expect(res.status).toBe(404);
    expect(res.json.error).toBe("Account not found");
    expect(await db.prisma.adjustment.count({ where: { adjustmentId: "adj-404" } })).toBe(0);
  });

  it.each([
    [{ amount: 0 }, "body.amount"],
    [{ amount: "0.000" }, "body.amount"],
    [{ amount: "abc" }, "body.amount"],
    [{ amount: Number.NaN }, "body.amount"],
    [{ amount: "1e30" }, "body.amount"],
    [{ amount: "1.0000000000000001" }, "body.amount"],
    [{ reason: "" }, "body.reason"],
    [{ reason: "   " }, "body.reason"],
    [{ reason: undefined }, "body.reason"],
    [{ unit: "USD" }, "body.unit"],
    [{ unit: "EUR" }, "body.unit"],
    [{ adjustmentId: "" }, "body.adjustmentId"],
    [{ accountId: 7 }, "body.accountId"],
  ])("400 naming the field for %j", async (change, field) => {
    const body = { adjustmentId: "adj-bad", accountId: user, unit: "POINTS", amount: 1, reason: "x", ...change };
    const res = await adjust(body);
    expect(res.status).toBe(400);
    expect(res.json.message).toContain(field);
    expect(await db.prisma.adjustment.count({ where: { adjustmentId: "adj-bad" } })).toBe(0);
  });

  it("refuses anything but the secret key", async () => {
    const body = { adjustmentId: "adj-k2", accountId: user, unit: "POINTS", amount: 1, reason: "x" };
    expect((await adjust(body, { "x-api-key": auth.publishableKey })).status).toBe(403);
    expect((await adjust(body, await auth.as(user))).status).toBe(403);
  });
});

describe.skipIf(!usingRealPostgres)("concurrency", () => {
  it("20 parallel requests with one adjustmentId record it once", async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        adjust({ adjustmentId: "adj-race", accountId: user, unit: "NGN", amount: 600, reason: "race" }),
      ),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(19);
    expect(await db.prisma.feeEntry.count({ where: { orderId: "adjustment:adj-race" } })).toBe(1);
    await conserved();
  });
});
