// GET balance, entries and claims: the seed's shapes, exact sums, paging, and who may read what.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { balanceExample } from "@/lib/fees/schemas";
import { setRates } from "@/lib/testing/fees";
import { call } from "@/lib/testing/http";
import { integrationSetup } from "@/lib/testing/integration";
import { POST as transactions } from "../events/transactions/route";
import { GET as balanceRoute } from "./balance/route";
import { GET as claimsRoute } from "./claims/route";
import { GET as entriesRoute } from "./entries/route";

const { db, auth } = await integrationSetup();
const REFERRER = "usr_readreferrer00000001";
const REFERRED = "usr_readreferred00000001";
const OTHER = "usr_readother00000000001";
const OTHER_REFERRED = "usr_readotherref00000001";
const ENTRIES = 5000;

const get = async (handler: typeof balanceRoute, path: string, accountId = REFERRER) =>
  call(handler, { path, headers: await auth.as(accountId) });

beforeAll(async () => {
  await db.prisma.account.createMany({
    data: [
      { id: REFERRER, kind: "USER" },
      { id: REFERRED, kind: "USER", referrerId: REFERRER, referredAt: new Date() },
      { id: OTHER, kind: "USER" },
      { id: OTHER_REFERRED, kind: "USER", referrerId: OTHER, referredAt: new Date() },
    ],
  });
  await setRates(db.prisma, { UGX: "0.00027", KES: "0.0077" });
  // Thousands of small fees: 101 UGX → 0.303 UGX each.
  for (let batch = 0; batch < ENTRIES / 1000; batch++) {
    const events = Array.from({ length: 1000 }, (_, i) => ({
      orderId: `ord_ugx_${batch}_${i}`,
      userId: REFERRED,
      type: "pay",
      amount: 101,
      currency: "UGX",
    }));
    const res = await call(transactions, {
      method: "POST",
      path: "/api/events/transactions",
      headers: auth.operator,
      body: { events },
    });
    expect(res.status).toBe(200);
  }
  await call(transactions, {
    method: "POST",
    path: "/api/events/transactions",
    headers: auth.operator,
    body: { events: [{ orderId: "ord_cdf_1", userId: REFERRED, type: "offramp", amount: "1000", currency: "CDF" }] },
  });
  await call(transactions, {
    method: "POST",
    path: "/api/events/transactions",
    headers: auth.operator,
    body: { orderId: "ord_other_1", userId: OTHER_REFERRED, type: "offramp", amount: 50000, currency: "KES" },
  });
}, 120_000);

describe("GET /api/referral-fees/balance", () => {
  it("sums thousands of small entries exactly and values them in exact USD", async () => {
    const res = await get(balanceRoute, "/api/referral-fees/balance");
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      totalUsd: 0.40905,
      currencyBreakdown: [
        { currency: "UGX", amount: 1515, amountUsd: 0.40905 },
        { currency: "CDF", amount: 3, amountUsd: 0 },
      ],
      entryCount: ENTRIES + 1,
      canClaim: true,
      nextClaimDate: null,
      claimInProgress: false,
      walletHoldUntil: null,
      unpricedCurrencies: ["CDF"],
      pendingUsd: 0,
      pendingBreakdown: [],
      frozen: false,
    });
  });

  it("shows each account only its own fees", async () => {
    const res = await get(balanceRoute, "/api/referral-fees/balance", OTHER);
    expect(res.json).toMatchObject({
      totalUsd: 1.155,
      currencyBreakdown: [{ currency: "KES", amount: 150, amountUsd: 1.155 }],
      entryCount: 1,
    });
  });

  it("is empty for an account that earned nothing", async () => {
    const res = await get(balanceRoute, "/api/referral-fees/balance", REFERRED);
    // Claimable, like the reference's example, with nothing in it.
    expect(res.json).toEqual({ ...balanceExample, totalUsd: 0, currencyBreakdown: [], entryCount: 0 });
  });

  it("says when the next claim is possible during the cooldown, and not while a claim is in flight", async () => {
    const completed = await db.prisma.claim.create({
      data: {
        accountId: OTHER,
        status: "COMPLETED",
        amountUsd: "1",
        walletAddress: "0xabc",
        transactionHash: "0x01",
        completedAt: new Date(),
        createdAt: new Date("2030-01-01T00:00:00.000Z"),
      },
    });
    try {
      const cooling = await get(balanceRoute, "/api/referral-fees/balance", OTHER);
      expect(cooling.json).toMatchObject({
        canClaim: false,
        nextClaimDate: "2030-01-08T00:00:00.000Z",
        claimInProgress: false,
      });
    } finally {
      await db.prisma.claim.delete({ where: { id: completed.id } });
    }
    const pending = await db.prisma.claim.create({
      data: { accountId: OTHER, status: "PENDING", amountUsd: "1", walletAddress: "0xabc" },
    });
    try {
      const inFlight = await get(balanceRoute, "/api/referral-fees/balance", OTHER);
      expect(inFlight.json).toMatchObject({ canClaim: false, nextClaimDate: null, claimInProgress: true });
    } finally {
      await db.prisma.claim.delete({ where: { id: pending.id } });
    }
  });

  it("needs the signed-in user's token with a key", async () => {
    expect((await call(balanceRoute, { path: "/api/referral-fees/balance" })).status).toBe(401);
    expect((await call(balanceRoute, { path: "/api/referral-fees/balance", headers: auth.operator })).status).toBe(403);
    const { authorization } = await auth.as(REFERRER);
    expect((await call(balanceRoute, { path: "/api/referral-fees/balance", headers: { authorization } })).status).toBe(
      403,
    );
    expect(
      (
        await call(balanceRoute, {
          path: "/api/referral-fees/balance",
          headers: { authorization: "Bearer x.y.z", "x-api-key": auth.publishableKey },
        })
      ).status,
    ).toBe(401);
  });
});

describe("GET /api/referral-fees/entries", () => {
  it("answers the seed's shape, newest first, a page of 100 by default with a cursor to the next", async () => {
    const res = await get(entriesRoute, "/api/referral-fees/entries");
    expect(res.status).toBe(200);
    expect(res.json.totalUsd).toBe(0.40905);
    expect(res.json.currencyBreakdown).toHaveLength(2);
    expect(res.json.entries).toHaveLength(100);
    expect(res.json.entries[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      amountLocal: 3,
      currency: "CDF",
      transactorUserId: REFERRED,
      orderId: "ord_cdf_1",
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      kind: "fee",
      availableAt: res.json.entries[0].createdAt,
    });
    expect(res.json.entries[1]).toMatchObject({ amountLocal: 0.303, currency: "UGX" });
    expect(res.json.nextCursor).toEqual(expect.any(String));
  });

  it("pages through every entry once, newest first", async () => {
    const seen: { id: string; createdAt: string }[] = [];
    let cursor: string | null = null;
    do {
      const path: string = `/api/referral-fees/entries?limit=1000${cursor ? `&cursor=${cursor}` : ""}`;
      const res = await get(entriesRoute, path);
      expect(res.status).toBe(200);
      seen.push(...res.json.entries);
      cursor = res.json.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(ENTRIES + 1);
    expect(new Set(seen.map((e) => e.id)).size).toBe(ENTRIES + 1);
    const times = seen.map((e) => Date.parse(e.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it.each([["limit=0"], ["limit=1001"], ["limit=abc"], ["cursor=bm9wZQ"]])("refuses ?%s with 400", async (query) => {
    const res = await get(entriesRoute, `/api/referral-fees/entries?${query}`);
    expect(res.status).toBe(400);
  });
});

describe("GET /api/referral-fees/claims", () => {
  it("lists the account's claims newest first in the seed's shape; a FAILED one has neither hash nor completion", async () => {
    const account = "usr_readclaims000000001";
    await db.prisma.account.create({ data: { id: account, kind: "USER" } });
    const at = (day: number) => new Date(Date.UTC(2026, 1, day, 10));
    const make = (status: "COMPLETED" | "FAILED" | "PENDING", day: number, hash: string | null) =>
      db.prisma.claim.create({
        data: {
          id: randomUUID(),
          accountId: account,
          status,
          amountUsd: "16.15",
          walletAddress: "0xabc",
          transactionHash: hash,
          createdAt: at(day),
          completedAt: status === "COMPLETED" ? new Date(at(day).getTime() + 4000) : null,
        },
      });
    const completed = await make("COMPLETED", 15, "0xdef456");
    const failed = await make("FAILED", 20, "0xsignedbutrefused");
    const pending = await make("PENDING", 22, "0xabc123");

    const res = await get(claimsRoute, "/api/referral-fees/claims", account);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      claims: [
        {
          id: pending.id,
          userId: account,
          amountKes: 0,
          amountUsd: 16.15,
          exchangeRate: 0,
          transactionHash: "0xabc123",
          status: "PENDING",
          createdAt: "2026-02-22T10:00:00.000Z",
          completedAt: null,
        },
        {
          id: failed.id,
          userId: account,
          amountKes: 0,
          amountUsd: 16.15,
          exchangeRate: 0,
          transactionHash: null,
          status: "FAILED",
          createdAt: "2026-02-20T10:00:00.000Z",
          completedAt: null,
        },
        {
          id: completed.id,
          userId: account,
          amountKes: 0,
          amountUsd: 16.15,
          exchangeRate: 0,
          transactionHash: "0xdef456",
          status: "COMPLETED",
          createdAt: "2026-02-15T10:00:00.000Z",
          completedAt: "2026-02-15T10:00:04.000Z",
        },
      ],
      nextCursor: null,
    });

    const firstPage = await get(claimsRoute, "/api/referral-fees/claims?limit=2", account);
    expect(firstPage.json.claims.map((c: { id: string }) => c.id)).toEqual([pending.id, failed.id]);
    const second = await get(
      claimsRoute,
      `/api/referral-fees/claims?limit=2&cursor=${firstPage.json.nextCursor}`,
      account,
    );
    expect(second.json).toMatchObject({ claims: [{ id: completed.id }], nextCursor: null });

    expect((await get(claimsRoute, "/api/referral-fees/claims", REFERRER)).json).toEqual({
      claims: [],
      nextCursor: null,
    });
  });
});
