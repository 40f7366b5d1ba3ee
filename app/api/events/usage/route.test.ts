import { beforeAll, describe, expect, it } from "vitest";
import { checkRewardsConservation } from "@/lib/rewards/check";
import { createAccountAsOperator } from "@/lib/testing/accounts";
import { usingRealPostgres } from "@/lib/testing/db";
import { call } from "@/lib/testing/http";
import { integrationSetup } from "@/lib/testing/integration";
import { POST } from "./route";

const { db, auth } = await integrationSetup();
/** a ← b ← c ← d ← e: e's referrers are d (1), c (2), b (3); a is e's level 4. */
let a: string, b: string, c: string, d: string, e: string;
let provider: string;

const newAccount = (kind: "user" | "provider", referrer?: string) => createAccountAsOperator(auth, { kind, referrer });

beforeAll(async () => {
  a = await newAccount("user");
  b = await newAccount("user", a);
  c = await newAccount("user", b);
  d = await newAccount("user", c);
  e = await newAccount("user", d);
  provider = await newAccount("provider");
});

const post = (body: unknown, headers = auth.operator) => call(POST, { path: "/api/events/usage", headers, body });

/** All-time totals of an account as plain numbers, from the maintained table. */
async function totals(accountId: string) {
  const [row] = await db.prisma.$queryRaw<{ base: string; level1: string; level2: string; level3: string }[]>`
    SELECT COALESCE(SUM(base), 0)::text AS base, COALESCE(SUM(level1), 0)::text AS level1,
           COALESCE(SUM(level2), 0)::text AS level2, COALESCE(SUM(level3), 0)::text AS level3
    FROM account_total WHERE account_id = ${accountId}`;
  return {
    base: Number(row!.base),
    level1: Number(row!.level1),
    level2: Number(row!.level2),
    level3: Number(row!.level3),
  };
}

async function ledgerRows(sourceEvent: string) {
  return db.prisma.ledgerEntry.findMany({ where: { sourceEvent }, orderBy: { level: "asc" } });
}

let n = 0;
const rid = (label: string) => `${label}-${++n}-${Math.random().toString(36).slice(2)}`;

describe("POST /api/events/usage", () => {
  it("credits a 1000-token chat as 2 points and pays 15/8/4 % to three levels, none to the fourth", async () => {
    const requestId = rid("chat");
    const res = await post({ requestId, userId: e, endpoint: "/chat/completions", tokens: 1000 });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      results: [
        {
          requestId,
          points: 2,
          shares: [
            { accountId: d, level: 1, points: 0.3 },
            { accountId: c, level: 2, points: 0.16 },
            { accountId: b, level: 3, points: 0.08 },
          ],
          duplicate: false,
        },
      ],
    });
    const rows = await ledgerRows(`usage:${requestId}`);
    expect(rows.map((r) => [r.accountId, r.kind, r.level, r.amount.toString(), r.originAccountId])).toEqual([
      [e, "BASE", 0, "2", e],
      [d, "SHARE", 1, "0.3", e],
      [c, "SHARE", 2, "0.16", e],
      [b, "SHARE", 3, "0.08", e],
    ]);
    expect(rows.some((r) => r.accountId === a)).toBe(false);
  });

  it.each([
    ["/chat/completions", 250, 1.25],
    ["/chat/completions", undefined, 1],
    ["/embeddings", 1000, 1],
    ["/embeddings", undefined, 0.5],
    ["/scrape", undefined, 0.2],
    ["/scrape", 900, 0.2],
    ["/tts", undefined, 0.8],
  ])("%s with %s tokens earns %s points", async (endpoint, tokens, points) => {
    const res = await post({ requestId: rid("ep"), userId: b, endpoint, tokens });
    expect(res.status).toBe(200);
    expect(res.json.results[0].points).toBe(points);
    expect(res.json.results[0].shares).toEqual([
      { accountId: a, level: 1, points: Number((points * 0.15).toFixed(6)) },
    ]);
  });

  it("pays nothing upward for an account without a referrer", async () => {
    const res = await post({ requestId: rid("root"), userId: a, endpoint: "/tts" });
    expect(res.json.results[0]).toMatchObject({ points: 0.8, shares: [], duplicate: false });
  });

  it("replays: the same requestId changes nothing and returns the first result with duplicate: true", async () => {
    const requestId = rid("replay");
    const first = await post({ requestId, userId: e, endpoint: "/embeddings", tokens: 10 });
    const before = await Promise.all([e, d, c, b].map(totals));
    // Even with another body: the id decides.
    const again = await post({ requestId, userId: d, endpoint: "/chat/completions", tokens: 99999 });
    expect(again.status).toBe(200);
    expect(again.json.results[0]).toEqual({ ...first.json.results[0], duplicate: true });
    expect(await Promise.all([e, d, c, b].map(totals))).toEqual(before);
    expect(await ledgerRows(`usage:${requestId}`)).toHaveLength(4);
  });

  it("takes a batch, answers in order, and treats a repeated requestId inside it as a duplicate of the first", async () => {
    const [x, y] = [rid("bx"), rid("by")];
    const before = await totals(c);
    const res = await post({
      events: [
        { requestId: x, userId: c, endpoint: "/chat/completions", tokens: 1000 },
        { requestId: y, userId: c, endpoint: "/scrape" },
        { requestId: x, userId: c, endpoint: "/tts" },
      ],
    });
    expect(res.status).toBe(200);
    expect(
      res.json.results.map((r: { requestId: string; points: number; duplicate: boolean }) => [
        r.requestId,
        r.points,
        r.duplicate,
      ]),
    ).toEqual([
      [x, 2, false],
      [y, 0.2, false],
      [x, 2, true],
    ]);
    expect((await totals(c)).base - before.base).toBeCloseTo(2.2, 12);
  });

  it.each([
    ["negative tokens", { tokens: -1 }],
    ["fractional tokens", { tokens: 1.5 }],
    ["tokens as a string", { tokens: "12" }],
    ["NaN tokens", { tokens: "NaN" }],
    ["huge tokens", { tokens: 1e300 }],
    ["tokens above the bound", { tokens: 1_000_000_001 }],
    ["an unknown endpoint", { endpoint: "/images" }],
    ["no endpoint", { endpoint: undefined }],
    ["an empty requestId", { requestId: "" }],
    ["no userId", { userId: undefined }],
  ])("refuses a batch holding one event with %s (400) and credits none of it", async (_label, override) => {
    const good = rid("good");
    const res = await post({
      events: [
        { requestId: good, userId: e, endpoint: "/chat/completions", tokens: 10 },
        { requestId: rid("bad"), userId: e, endpoint: "/chat/completions", tokens: 10, ...override },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.json.error).toBe("Invalid request");
    expect(res.json.message).toContain("body.events.1");
    expect(await db.prisma.rewardEvent.count({ where: { externalId: good } })).toBe(0);
  });

  it("refuses an empty batch, a batch over 1,000 and a body that is not an event (400)", async () => {
    expect((await post({ events: [] })).status).toBe(400);
    const tooMany = Array.from({ length: 1001 }, (_, i) => ({
      requestId: `over-${i}`,
      userId: e,
      endpoint: "/scrape",
    }));
    expect((await post({ events: tooMany })).status).toBe(400);
    expect((await post([{ requestId: "x", userId: e, endpoint: "/scrape" }])).status).toBe(400);
    expect((await post("null")).status).toBe(400);
  });

  it("a batch naming an unknown user or a provider is refused whole (400), nothing credited", async () => {
    for (const userId of ["usr_nobody", provider]) {
      const good = rid("good");
      const res = await post({
        events: [
          { requestId: good, userId: e, endpoint: "/tts" },
          { requestId: rid("who"), userId, endpoint: "/tts" },
        ],
      });
      expect(res.status).toBe(400);
      expect(res.json.message).toContain("events.1.userId");
      expect(await db.prisma.rewardEvent.count({ where: { externalId: good } })).toBe(0);
    }
  });

  it("a single event naming an unknown user or a provider is 404", async () => {
    for (const userId of ["usr_nobody", provider]) {
      const res = await post({ requestId: rid("single"), userId, endpoint: "/tts" });
      expect(res.status).toBe(404);
      expect(res.json.error).toBe("User not found");
    }
  });

  it("needs the operator's secret key (403 otherwise)", async () => {
    const body = { requestId: rid("auth"), userId: e, endpoint: "/tts" };
    expect((await post(body, {})).status).toBe(403);
    expect((await post(body, { "x-api-key": auth.publishableKey })).status).toBe(403);
    expect((await post(body, await auth.as(e))).status).toBe(403);
  });

  it("records a batch of 1,000 in one request with every share", async () => {
    const before = await Promise.all([e, d, c, b].map(totals));
    const events = Array.from({ length: 1000 }, (_, i) => ({
      requestId: rid(`k${i}`),
      userId: [e, d, c][i % 3]!,
      endpoint: "/chat/completions" as const,
      tokens: 1000,
    }));
    const started = performance.now();
    const res = await post({ events });
    const elapsed = performance.now() - started;
    expect(res.status).toBe(200);
    expect(res.json.results).toHaveLength(1000);
    expect(res.json.results.every((r: { duplicate: boolean; points: number }) => !r.duplicate && r.points === 2)).toBe(
      true,
    );
    const after = await Promise.all([e, d, c, b].map(totals));
    // e: 334 events by e; d: 333 own + shares of e's; c: 333 own + shares; b: shares only.
    expect(after[0]!.base - before[0]!.base).toBeCloseTo(668, 9);
    expect(after[1]!.level1 - before[1]!.level1).toBeCloseTo(334 * 0.3, 9);
    expect(after[2]!.level1 - before[2]!.level1).toBeCloseTo(333 * 0.3, 9);
    expect(after[2]!.level2 - before[2]!.level2).toBeCloseTo(334 * 0.16, 9);
    expect(after[3]!.level3 - before[3]!.level3).toBeCloseTo(334 * 0.08, 9);
    console.log(`batch of 1,000 usage events: ${elapsed.toFixed(0)} ms`);
  });

  it.skipIf(!usingRealPostgres)("20 parallel replays of one event credit it once", async () => {
    const requestId = rid("parallel");
    const before = await Promise.all([e, d, c, b].map(totals));
    const results = await Promise.all(
      Array.from({ length: 20 }, () => post({ requestId, userId: e, endpoint: "/chat/completions", tokens: 1000 })),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.filter((r) => !r.json.results[0].duplicate)).toHaveLength(1);
    const after = await Promise.all([e, d, c, b].map(totals));
    expect(after[0]!.base - before[0]!.base).toBeCloseTo(2, 12);
    expect(after[1]!.level1 - before[1]!.level1).toBeCloseTo(0.3, 12);
    expect(await ledgerRows(`usage:${requestId}`)).toHaveLength(4);
  });

  it.skipIf(!usingRealPostgres)(
    "parallel batches sharing event ids (in any order) credit each event once, without deadlock",
    async () => {
      const ids = Array.from({ length: 50 }, () => rid("shared"));
      const batches = Array.from({ length: 8 }, (_, i) => {
        const order = i % 2 === 0 ? ids : [...ids].reverse();
        return order.map((requestId) => ({ requestId, userId: [e, d][i % 2]!, endpoint: "/scrape" }));
      });
      const results = await Promise.all(batches.map((events) => post({ events })));
      expect(results.every((r) => r.status === 200)).toBe(true);
      const fresh = results.flatMap((r) => r.json.results).filter((r: { duplicate: boolean }) => !r.duplicate);
      expect(fresh).toHaveLength(50);
      const [row] = await db.prisma.$queryRaw<{ n: number }[]>`
      SELECT COUNT(*)::int AS n FROM ledger_entry WHERE kind = 'BASE' AND source_event = ANY(${ids.map((i) => `usage:${i}`)}::text[])`;
      expect(row!.n).toBe(50);
    },
  );

  it("leaves the books balanced", async () => {
    expect(await checkRewardsConservation(db.prisma)).toEqual([]);
  });
});
