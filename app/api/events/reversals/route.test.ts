import { beforeAll, describe, expect, it } from "vitest";
import { POST as createAccount } from "@/app/api/accounts/route";
import { POST as postCompute } from "@/app/api/events/compute/route";
import { POST as postTransactions } from "@/app/api/events/transactions/route";
import { POST as postUsage } from "@/app/api/events/usage/route";
import { GET as balanceRoute } from "@/app/api/referral-fees/balance/route";
import { GET as entriesRoute } from "@/app/api/referral-fees/entries/route";
import { GET as userStats } from "@/app/api/user/[userId]/referral-stats/route";
import { GET as providerStats } from "@/app/api/providers/[providerId]/referral-stats/route";
import { checkClaimConservation } from "@/lib/fees/check";
import { claimSettings, NothingToClaim, openClaim } from "@/lib/fees/claims";
import { checkRewardsConservation } from "@/lib/rewards/check";
import { usingRealPostgres } from "@/lib/testing/db";
import { setRates } from "@/lib/testing/fees";
import { call } from "@/lib/testing/http";
import { integrationSetup } from "@/lib/testing/integration";
import { POST } from "./route";

const { db, auth } = await integrationSetup();
/** a ← b ← c: c's usage pays b 15 % and a 8 %. */
let a: string, b: string, c: string;
let p1: string, p2: string;

async function newAccount(kind: "user" | "provider", referrer?: string, walletAddress?: string): Promise<string> {
  const res = await call(createAccount, {
    path: "/api/accounts",
    headers: auth.operator,
    body: { kind, referrer, walletAddress },
  });
  expect(res.status).toBe(201);
  return res.json.id as string;
}

beforeAll(async () => {
  a = await newAccount("user");
  b = await newAccount("user", a);
  c = await newAccount("user", b);
  p1 = await newAccount("provider");
  p2 = await newAccount("provider", p1);
  await setRates(db.prisma, { KES: "0.0077", NGN: "0.00063" });
});

const reversal = (body: unknown, headers: Record<string, string> = auth.operator) =>
  call(POST, { path: "/api/events/reversals", headers, body });
const usage = (requestId: string, userId: string, tokens: number) =>
  call(postUsage, {
    path: "/api/events/usage",
    headers: auth.operator,
    body: { requestId, userId, endpoint: "/chat/completions", tokens },
  });
const transaction = (orderId: string, userId: string, amount: number, currency: string) =>
  call(postTransactions, {
    path: "/api/events/transactions",
    headers: auth.operator,
    body: { orderId, userId, type: "offramp", amount, currency },
  });
const stats = async (userId: string) =>
  (
    await call(userStats, {
      path: `/api/user/${userId}/referral-stats`,
      params: { userId },
      headers: auth.operator,
    })
  ).json;
const balance = async (accountId: string) =>
  (await call(balanceRoute, { path: "/api/referral-fees/balance", headers: await auth.as(accountId) })).json;
const entries = async (accountId: string) =>
  (await call(entriesRoute, { path: "/api/referral-fees/entries", headers: await auth.as(accountId) })).json;

async function conserved() {
  expect(await checkRewardsConservation(db.prisma)).toEqual([]);
  expect(await checkClaimConservation(db.prisma)).toEqual([]);
}

describe("reversing usage and compute", () => {
  it("takes back the base and every share, not the direct bonus, and every figure moves by exactly that", async () => {
    expect((await usage("rv-u1", c, 1000)).status).toBe(200); // c 2, b 0.3, a 0.16
    expect((await usage("rv-u2", c, 0)).status).toBe(200); // c 1, b 0.15, a 0.08
    const [bBefore, aBefore, cBefore] = [await stats(b), await stats(a), await stats(c)];

    const res = await reversal({ reversalId: "rev-1", source: "usage", sourceId: "rv-u1", reason: "refund" });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      results: [
        {
          reversalId: "rev-1",
          source: "usage",
          sourceId: "rv-u1",
          entries: [
            { accountId: c, unit: "POINTS", amount: -2 },
            { accountId: b, unit: "POINTS", amount: -0.3 },
            { accountId: a, unit: "POINTS", amount: -0.16 },
          ],
          duplicate: false,
        },
      ],
    });

    const [bAfter, aAfter, cAfter] = [await stats(b), await stats(a), await stats(c)];
    expect(cAfter.earnings.base).toBe(cBefore.earnings.base - 2);
    expect(bAfter.earnings).toMatchObject({ directBonus: 25, level1: 0.15, total: 25.15 });
    expect(aAfter.earnings).toMatchObject({ directBonus: 25, level1: 0, level2: 0.08, total: 25.08 });
    expect(bAfter.history[29].total).toBeCloseTo(bBefore.history[29].total - 0.3, 12);
    expect(bAfter.metrics.earnings30d).toBe(25.15);
    expect(aBefore.metrics.topReferrals).toEqual([{ accountId: c, level: 2, earned: 0.24 }]);
    expect(aAfter.metrics.topReferrals).toEqual([{ accountId: c, level: 2, earned: 0.08 }]);
    expect(aAfter.metrics.activeReferrals30d).toBe(aBefore.metrics.activeReferrals30d);
    await conserved();

    const audit = await db.prisma.auditLog.findMany({ where: { action: "reversal.created", target: "rv-u1" } });
    expect(audit).toHaveLength(1);
    const actor = audit[0]!.actor;
    expect(actor.startsWith("key:") && auth.secretKey.startsWith(actor.slice(4)) && actor.length < 20).toBe(true);
    expect(audit[0]!.details).toMatchObject({ reversalId: "rev-1", source: "usage", reason: "refund" });
    const events = await db.prisma.webhookEvent.findMany({ where: { type: "reversal.created" } });
    expect(events.map((e) => e.data)).toContainEqual({ reversalId: "rev-1", source: "usage", sourceId: "rv-u1" });
  });

  it("answers the same reversalId with the first result and refuses another reversalId for the same source", async () => {
    const again = await reversal({ reversalId: "rev-1", source: "usage", sourceId: "rv-u1" });
    expect(again.status).toBe(200);
    expect(again.json.results[0]).toMatchObject({ reversalId: "rev-1", duplicate: true });
    expect(again.json.results[0].entries).toHaveLength(3);

    const other = await reversal({ reversalId: "rev-other", source: "usage", sourceId: "rv-u1" });
    expect(other.status).toBe(409);
    expect(other.json).toMatchObject({ error: "Already reversed", code: "already_reversed" });
    expect(await db.prisma.reversal.count({ where: { sourceId: "rv-u1" } })).toBe(1);
    expect((await stats(c)).earnings.base).toBe(1);
  });

  it("reverses a provider's compute earnings and its referrers' shares", async () => {
    const res = await call(postCompute, {
      path: "/api/events/compute",
      headers: auth.operator,
      body: { eventId: "rv-c1", providerId: p2, tokensGenerated: 1000, requests: 10, uptimeSeconds: 3600 },
    });
    expect(res.status).toBe(200);
    const earned = res.json.results[0];
    const rev = await reversal({ reversalId: "rev-c1", source: "compute", sourceId: "rv-c1" });
    expect(rev.status).toBe(200);
    expect(rev.json.results[0].entries).toEqual([
      { accountId: p2, unit: "POINTS", amount: -earned.points },
      { accountId: p1, unit: "POINTS", amount: -earned.shares[0].points },
    ]);
    const p1Stats = await call(providerStats, {
      path: `/api/providers/${p1}/referral-stats`,
      params: { providerId: p1 },
      headers: auth.operator,
    });
    expect(p1Stats.json.earnings).toMatchObject({ level1: 0, directBonus: 50, total: 50 });
    await conserved();
  });

  it("reverses a batch in one go, duplicates inside it answered like replays", async () => {
    await usage("rv-b1", c, 0);
    await usage("rv-b2", b, 0);
    const res = await reversal({
      reversals: [
        { reversalId: "rev-b1", source: "usage", sourceId: "rv-b1" },
        { reversalId: "rev-b2", source: "usage", sourceId: "rv-b2" },
        { reversalId: "rev-b1", source: "usage", sourceId: "rv-b1" },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.json.results.map((r: { duplicate: boolean }) => r.duplicate)).toEqual([false, false, true]);
    expect(res.json.results[2].entries).toEqual(res.json.results[0].entries);
    await conserved();
  });
});

describe("refusals", () => {
  it("404 for an unknown source alone, 400 naming the item in a batch, and nothing reversed", async () => {
    const alone = await reversal({ reversalId: "rev-x", source: "usage", sourceId: "nope" });
    expect(alone.status).toBe(404);
    expect(alone.json.error).toBe("Usage event not found");
    await usage("rv-n1", c, 0);
    const batch = await reversal({
      reversals: [
        { reversalId: "rev-n1", source: "usage", sourceId: "rv-n1" },
        { reversalId: "rev-n2", source: "transaction", sourceId: "nope" },
      ],
    });
    expect(batch.status).toBe(400);
    expect(batch.json.message).toContain("body.reversals.1.sourceId");
    expect(await db.prisma.reversal.count({ where: { reversalId: { in: ["rev-x", "rev-n1", "rev-n2"] } } })).toBe(0);
  });

  it("409 for one source under two reversalIds in one batch", async () => {
    const res = await reversal({
      reversals: [
        { reversalId: "rev-d1", source: "usage", sourceId: "rv-n1" },
        { reversalId: "rev-d2", source: "usage", sourceId: "rv-n1" },
      ],
    });
    expect(res.status).toBe(409);
    expect(res.json.message).toContain("body.reversals.1.sourceId");
    expect(await db.prisma.reversal.count({ where: { sourceId: "rv-n1" } })).toBe(0);
  });

  it.each([
    [{ reversalId: "r", source: "usage" }, "body.sourceId"],
    [{ reversalId: "r", source: "refund", sourceId: "x" }, "body.source"],
    [{ reversalId: "", source: "usage", sourceId: "x" }, "body.reversalId"],
    [{ reversalId: 5, source: "usage", sourceId: "x" }, "body.reversalId"],
    [{ reversalId: "r", source: "usage", sourceId: "x", reason: "  " }, "body.reason"],
    [{ reversals: [] }, "body.reversals"],
    [
      {
        reversals: [
          { reversalId: "r0", source: "usage", sourceId: "x" },
          { reversalId: "r1", source: "usage", sourceId: "x" },
          { reversalId: "r2", source: "usage", sourceId: "x" },
          { reversalId: "r3", source: "usage" },
        ],
      },
      "body.reversals.3.sourceId",
    ],
  ])("400 naming the field for %j", async (body, field) => {
    const res = await reversal(body);
    expect(res.status).toBe(400);
    expect(res.json.message).toContain(field);
  });

  it("refuses a publishable key and a user's token", async () => {
    const body = { reversalId: "r", source: "usage", sourceId: "rv-n1" };
    expect((await reversal(body, { "x-api-key": auth.publishableKey })).status).toBe(403);
    expect((await reversal(body, await auth.as(c))).status).toBe(403);
    expect((await reversal(body, {})).status).toBe(403);
  });
});

describe("reversing transactions", () => {
  let referrer: string, buyer: string;
  beforeAll(async () => {
    referrer = await newAccount("user", undefined, "0x00000000000000000000000000000000000000aa");
    buyer = await newAccount("user", referrer);
  });

  it("voids an unclaimed fee: it leaves the balance and the entries, and stays for audit", async () => {
    await transaction("rv-t1", buyer, 50_000, "KES"); // 150 KES
    await transaction("rv-t2", buyer, 200_000, "NGN"); // 600 NGN
    const res = await reversal({ reversalId: "rev-t1", source: "transaction", sourceId: "rv-t1" });
    expect(res.status).toBe(200);
    expect(res.json.results[0].entries).toEqual([{ accountId: referrer, unit: "KES", amount: -150 }]);
    const after = await balance(referrer);
    expect(after.currencyBreakdown).toEqual([{ currency: "NGN", amount: 600, amountUsd: 0.378 }]);
    expect(after.entryCount).toBe(1);
    expect((await entries(referrer)).entries.map((e: { orderId: string }) => e.orderId)).toEqual(["rv-t2"]);
    const voided = await db.prisma.feeEntry.findUniqueOrThrow({
      where: { orderId_kind: { orderId: "rv-t1", kind: "FEE" } },
    });
    expect(voided.voidedAt).not.toBeNull();
    expect(voided.reversalId).toBe("rev-t1");
    await conserved();
  });

  it("claws back a claimed fee: the clawback nets against new fees, negative shown as is, and no claim below 0", async () => {
    const settings = claimSettings({});
    const opened = await openClaim(db.prisma, referrer, settings, new Date());
    expect(opened.amountUsd.toString()).toBe("0.378");
    await db.prisma.claim.update({
      where: { id: opened.id },
      data: {
        status: "COMPLETED",
        transactionHash: "0x01",
        completedAt: new Date(),
        createdAt: new Date(Date.now() - 8 * 86_400_000),
      },
    });

    const res = await reversal({ reversalId: "rev-t2", source: "transaction", sourceId: "rv-t2" });
    expect(res.json.results[0].entries).toEqual([{ accountId: referrer, unit: "NGN", amount: -600 }]);
    const listed = await entries(referrer);
    expect(listed.entries).toMatchObject([{ orderId: "rv-t2", amountLocal: -600, currency: "NGN", kind: "clawback" }]);
    const owed = await balance(referrer);
    expect(owed).toMatchObject({ totalUsd: -0.378, entryCount: 1 });
    expect(owed.currencyBreakdown).toEqual([{ currency: "NGN", amount: -600, amountUsd: -0.378 }]);

    await transaction("rv-t3", buyer, 100_000, "NGN"); // +300 NGN: still -300 net
    const claims = await db.prisma.claim.count();
    await expect(openClaim(db.prisma, referrer, settings, new Date())).rejects.toBeInstanceOf(NothingToClaim);
    expect(await db.prisma.claim.count()).toBe(claims);
    expect((await balance(referrer)).currencyBreakdown).toEqual([{ currency: "NGN", amount: -300, amountUsd: -0.189 }]);

    await transaction("rv-t4", buyer, 50_000, "KES"); // +150 KES = $1.155, net $0.966
    const paid = await openClaim(db.prisma, referrer, settings, new Date());
    expect(paid.amountUsd.toString()).toBe("0.966");
    await conserved();
  });

  it("reverses a transaction without a referrer: nothing to take back", async () => {
    const loner = await newAccount("user");
    await transaction("rv-t5", loner, 1000, "KES");
    const res = await reversal({ reversalId: "rev-t5", source: "transaction", sourceId: "rv-t5" });
    expect(res.status).toBe(200);
    expect(res.json.results[0].entries).toEqual([]);
  });
});

describe.skipIf(!usingRealPostgres)("concurrency", () => {
  it("20 parallel reversals of one event reverse it once", async () => {
    await usage("rv-race", c, 1000);
    const before = (await stats(b)).earnings.level1;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        reversal({ reversalId: `rev-race-${i % 2}`, source: "usage", sourceId: "rv-race" }),
      ),
    );
    const ok = answers.filter((r) => r.status === 200);
    expect(answers.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    expect(ok.filter((r) => r.json.results[0].duplicate === false)).toHaveLength(1);
    expect(answers.filter((r) => r.status === 409).length).toBeGreaterThan(0);
    expect((await stats(b)).earnings.level1).toBeCloseTo(before - 0.3, 12);
    expect(await db.prisma.reversal.count({ where: { sourceId: "rv-race" } })).toBe(1);
    await conserved();
  });
});
