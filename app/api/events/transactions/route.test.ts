import { describe, expect, it } from "vitest";
import { checkClaimConservation } from "@/lib/fees/check";
import { usingRealPostgres } from "@/lib/testing/db";
import { createTransactors } from "@/lib/testing/fees";
import { call } from "@/lib/testing/http";
import { integrationSetup } from "@/lib/testing/integration";
import { POST } from "./route";

const { db, auth } = await integrationSetup();
let seq = 0;

const [REFERRER, REFERRED, LONER, PROVIDER] = await createTransactors(db.prisma, "tx");

function orderId(): string {
  return `ord_${process.pid}_${++seq}`;
}

function post(body: unknown, headers?: Record<string, string>) {
  return call(POST, { method: "POST", path: "/api/events/transactions", headers: headers ?? auth.operator, body });
}

async function counts() {
  return { transactions: await db.prisma.feeTransaction.count(), entries: await db.prisma.feeEntry.count() };
}

describe("POST /api/events/transactions", () => {
  it("splits the seed's example: 50,000 KES → fee 750, 150 to the referrer, 600 to the platform", async () => {
    const id = orderId();
    const res = await post({ orderId: id, userId: REFERRED, type: "offramp", amount: 50000, currency: "KES" });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      results: [
        {
          orderId: id,
          currency: "KES",
          fee: 750,
          referrerFee: 150,
          platformFee: 600,
          referrerId: REFERRER,
          duplicate: false,
        },
      ],
    });
    const entry = await db.prisma.feeEntry.findUniqueOrThrow({ where: { orderId_kind: { orderId: id, kind: "FEE" } } });
    expect(entry).toMatchObject({ referrerId: REFERRER, transactorId: REFERRED, currency: "KES", claimId: null });
    expect(entry.amountLocal.toString()).toBe("150");
  });

  it("is exact on small amounts: 101 UGX → 0.303 UGX to the referrer, as written in the JSON", async () => {
    const id = orderId();
    const res = await post({ orderId: id, userId: REFERRED, type: "pay", amount: 101, currency: "UGX" });
    expect(res.text).toContain('"fee":1.515,"referrerFee":0.303,"platformFee":1.212');
    const stored = await db.prisma.feeTransaction.findUniqueOrThrow({ where: { orderId: id } });
    expect([stored.type, stored.fee.toString(), stored.referrerFee.toString(), stored.platformFee.toString()]).toEqual([
      "PAY",
      "1.515",
      "0.303",
      "1.212",
    ]);
  });

  it("accepts decimal strings and keeps every digit", async () => {
    const res = await post({
      orderId: orderId(),
      userId: REFERRED,
      type: "offramp",
      amount: "12345678901234.123456789012345",
      currency: "NGN",
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain('"referrerFee":37037036703.702370370367037035');
  });

  it("leaves the whole 1.5% to the platform when the user has no referrer", async () => {
    const id = orderId();
    const res = await post({ orderId: id, userId: LONER, type: "offramp", amount: 1000, currency: "NGN" });
    expect(res.json.results).toEqual([
      { orderId: id, currency: "NGN", fee: 15, referrerFee: 0, platformFee: 15, referrerId: null, duplicate: false },
    ]);
    expect(await db.prisma.feeEntry.count({ where: { orderId: id } })).toBe(0);
  });

  it("answers a replayed orderId with the first result and records nothing more", async () => {
    const id = orderId();
    const first = await post({ orderId: id, userId: REFERRED, type: "offramp", amount: 2000, currency: "GHS" });
    const before = await counts();
    const replay = await post({ orderId: id, userId: REFERRED, type: "offramp", amount: 999999, currency: "KES" });
    expect(replay.status).toBe(200);
    expect(replay.json.results).toEqual([{ ...first.json.results[0], duplicate: true }]);
    expect(await counts()).toEqual(before);
  });

  it("records a batch in one go; a repeated orderId inside it is a replay of its first occurrence", async () => {
    const [a, b] = [orderId(), orderId()];
    const before = await counts();
    const res = await post({
      events: [
        { orderId: a, userId: REFERRED, type: "offramp", amount: 1000, currency: "ETB" },
        { orderId: b, userId: LONER, type: "pay", amount: 1000, currency: "CDF" },
        { orderId: a, userId: REFERRED, type: "offramp", amount: 5, currency: "ETB" },
      ],
    });
    expect(res.status).toBe(200);
    expect(
      res.json.results.map((r: { orderId: string; duplicate: boolean; fee: number }) => [
        r.orderId,
        r.duplicate,
        r.fee,
      ]),
    ).toEqual([
      [a, false, 15],
      [b, false, 15],
      [a, true, 15],
    ]);
    expect(await counts()).toEqual({ transactions: before.transactions + 2, entries: before.entries + 1 });
  });

  it.each([
    ["an unknown currency", { currency: "USD" }, "body.currency"],
    ["a negative amount", { amount: -5 }, "must be greater than 0"],
    ["a zero amount", { amount: 0 }, "must be greater than 0"],
    ["NaN", { amount: "NaN" }, "decimal string"],
    ["Infinity", { amount: "Infinity" }, "decimal string"],
    ["a huge amount", { amount: 1e21 }, "less than 10^20"],
    ["a huge decimal string", { amount: "100000000000000000000" }, "less than 10^20"],
    ["too many decimals", { amount: "0.0000000000000001" }, "at most 15 decimal places"],
    ["a JSON number with more digits than a double keeps", { amount: 1234567.123456789 }, "decimal string"],
    ["an integer beyond 2^53", { amount: 12345678901234567 }, "decimal string"],
    ["an exponent string", { amount: "1e5" }, "decimal string"],
    ["a boolean amount", { amount: true }, "body.amount"],
    ["an unknown type", { type: "deposit" }, "body.type"],
    ["a missing orderId", { orderId: undefined }, "body.orderId"],
    ["an empty orderId", { orderId: "" }, "body.orderId"],
  ])("refuses %s with 400 naming the field", async (_name, change, message) => {
    const before = await counts();
    const res = await post({
      orderId: orderId(),
      userId: REFERRED,
      type: "offramp",
      amount: 100,
      currency: "KES",
      ...change,
    });
    expect(res.status).toBe(400);
    expect(res.json.error).toBe("Invalid request");
    expect(res.json.message).toContain(message);
    expect(await counts()).toEqual(before);
  });

  it("refuses a whole batch with one invalid event and records none of it", async () => {
    const before = await counts();
    const res = await post({
      events: [
        { orderId: orderId(), userId: REFERRED, type: "offramp", amount: 100, currency: "KES" },
        { orderId: orderId(), userId: REFERRED, type: "offramp", amount: -1, currency: "KES" },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.json.message).toContain("events.1.amount");
    expect(await counts()).toEqual(before);
  });

  it("refuses a batch naming an unknown user (400) and a lone event naming one (404), recording nothing", async () => {
    const before = await counts();
    const batch = await post({
      events: [
        { orderId: orderId(), userId: REFERRED, type: "offramp", amount: 100, currency: "KES" },
        { orderId: orderId(), userId: "usr_nobody", type: "offramp", amount: 100, currency: "KES" },
      ],
    });
    expect(batch.status).toBe(400);
    expect(batch.json.message).toContain("events.1.userId: no user with id usr_nobody");
    const single = await post({ orderId: orderId(), userId: "usr_nobody", type: "pay", amount: 100, currency: "KES" });
    expect(single.status).toBe(404);
    expect(single.json).toEqual({ error: "User not found", message: "No user with id usr_nobody", code: "not_found" });
    expect(await counts()).toEqual(before);
  });

  it("refuses a provider's transaction: Perpetual Earnings counts users' transactions", async () => {
    const res = await post({ orderId: orderId(), userId: PROVIDER, type: "offramp", amount: 100, currency: "KES" });
    expect(res.status).toBe(400);
    expect(res.json.message).toContain("is a provider");
  });

  it("refuses empty and oversized batches", async () => {
    expect((await post({ events: [] })).status).toBe(400);
    const events = Array.from({ length: 1001 }, () => ({
      orderId: orderId(),
      userId: LONER,
      type: "pay",
      amount: 1,
      currency: "KES",
    }));
    const res = await post({ events });
    expect(res.status).toBe(400);
    expect(res.json.message).toContain("events");
  });

  it("needs the operator's secret key", async () => {
    const body = { orderId: orderId(), userId: REFERRED, type: "offramp", amount: 100, currency: "KES" };
    expect((await post(body, {})).status).toBe(403);
    expect((await post(body, { "x-api-key": "sk_unknown" })).status).toBe(403);
    expect((await post(body, await auth.as(REFERRED))).status).toBe(403);
  });

  it.skipIf(!usingRealPostgres)(
    "credits a replayed orderId once when the replays arrive at the same time",
    async () => {
      const id = orderId();
      const before = await counts();
      const results = await Promise.all(
        Array.from({ length: 12 }, () =>
          post({ orderId: id, userId: REFERRED, type: "offramp", amount: 300, currency: "KES" }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(Array(12).fill(200));
      expect(results.filter((r) => r.json.results[0].duplicate === false)).toHaveLength(1);
      expect(await counts()).toEqual({ transactions: before.transactions + 1, entries: before.entries + 1 });
    },
  );

  it("keeps the books: every fee and entry passes the conservation check", async () => {
    expect(await checkClaimConservation(db.prisma)).toEqual([]);
  });
});
