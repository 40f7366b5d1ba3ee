import { beforeAll, describe, expect, it } from "vitest";
import { checkRewardsConservation } from "@/lib/rewards/check";
import { computeEventExample } from "@/lib/rewards/schemas";
import { createAccountAsOperator } from "@/lib/testing/accounts";
import { usingRealPostgres } from "@/lib/testing/db";
import { call } from "@/lib/testing/http";
import { integrationSetup } from "@/lib/testing/integration";
import { POST } from "./route";

const { db, auth } = await integrationSetup();
/** p1 ← p2 ← p3 ← p4 ← p5: p5's referrers are p4 (1), p3 (2), p2 (3); p1 is level 4. */
let p1: string, p2: string, p3: string, p4: string, p5: string;
let user: string;

const newAccount = (kind: "user" | "provider", referrer?: string) => createAccountAsOperator(auth, { kind, referrer });

beforeAll(async () => {
  p1 = await newAccount("provider");
  p2 = await newAccount("provider", p1);
  p3 = await newAccount("provider", p2);
  p4 = await newAccount("provider", p3);
  p5 = await newAccount("provider", p4);
  user = await newAccount("user");
});

const post = (body: unknown, headers = auth.operator) => call(POST, { path: "/api/events/compute", headers, body });
let n = 0;
const eid = (label: string) => `${label}-${++n}-${Math.random().toString(36).slice(2)}`;

describe("POST /api/events/compute", () => {
  it("credits the rate card's earnings and pays 10/5/2.5 % to three levels, none to the fourth", async () => {
    const eventId = eid("c");
    // The reference's example, mariana-depth llama3.3:70b: 2 × 0.075 × 1.0 × 3.0 + 1000 × 0.00015 × 1.0 = 0.6,
    // fast +10 % = 0.66, + 1 h uptime 0.036
    const res = await post({ ...computeEventExample, eventId, providerId: p5 });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      results: [
        {
          eventId,
          points: 0.696,
          shares: [
            { accountId: p4, level: 1, points: 0.0696 },
            { accountId: p3, level: 2, points: 0.0348 },
            { accountId: p2, level: 3, points: 0.0174 },
          ],
          duplicate: false,
        },
      ],
    });
    const rows = await db.prisma.ledgerEntry.findMany({
      where: { sourceEvent: `compute:${eventId}` },
      orderBy: { level: "asc" },
    });
    expect(rows.map((r) => [r.accountId, r.kind, r.level, r.amount.toString()])).toEqual([
      [p5, "BASE", 0, "0.696"],
      [p4, "SHARE", 1, "0.0696"],
      [p3, "SHARE", 2, "0.0348"],
      [p2, "SHARE", 3, "0.0174"],
    ]);
    expect(rows.some((r) => r.accountId === p1)).toBe(false);
  });

  it("prices an event without model, endpoint or latency as blue-surge, other (0.5), no latency change", async () => {
    const res = await post({ eventId: eid("d"), providerId: p2, tokensGenerated: 500, requests: 4, uptimeSeconds: 60 });
    // 4 × 0.015 × 0.5 × 1.0 = 0.03 (no token rate for "other") + 60 × 0.00001 = 0.0006
    expect(res.json.results[0]).toMatchObject({
      points: 0.0306,
      shares: [{ accountId: p1, level: 1, points: 0.00306 }],
    });
  });

  it("replays: the same eventId changes nothing and returns the first result with duplicate: true", async () => {
    const eventId = eid("r");
    const first = await post({ eventId, providerId: p5, tokensGenerated: 10, requests: 1, uptimeSeconds: 0 });
    const again = await post({ eventId, providerId: p5, tokensGenerated: 999999, requests: 50, uptimeSeconds: 9 });
    expect(again.json.results[0]).toEqual({ ...first.json.results[0], duplicate: true });
    expect(await db.prisma.ledgerEntry.count({ where: { sourceEvent: `compute:${eventId}` } })).toBe(4);
  });

  it("a usage requestId and a compute eventId with the same text are different events", async () => {
    const eventId = eid("same");
    const res = await post({ eventId, providerId: p3, tokensGenerated: 0, requests: 1, uptimeSeconds: 0 });
    expect(res.json.results[0].duplicate).toBe(false);
    expect(await db.prisma.rewardEvent.count({ where: { externalId: eventId, type: "COMPUTE" } })).toBe(1);
  });

  it.each([
    ["negative tokensGenerated", { tokensGenerated: -5 }],
    ["fractional requests", { requests: 0.5 }],
    ["huge uptimeSeconds", { uptimeSeconds: 1e21 }],
    ["missing requests", { requests: undefined }],
    ["string tokensGenerated", { tokensGenerated: "100" }],
    ["negative latency", { latencyMs: -1 }],
    ["an empty model", { model: "" }],
  ])("refuses a batch holding an event with %s (400), nothing credited", async (_label, override) => {
    const good = eid("good");
    const base = { providerId: p5, tokensGenerated: 1, requests: 1, uptimeSeconds: 1 };
    const res = await post({
      events: [
        { eventId: good, ...base },
        { eventId: eid("bad"), ...base, ...override },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.json.message).toContain("body.events.1");
    expect(await db.prisma.rewardEvent.count({ where: { externalId: good } })).toBe(0);
  });

  it("a user id is refused: 404 for a single event, 400 for the batch", async () => {
    const single = await post({
      eventId: eid("u"),
      providerId: user,
      tokensGenerated: 1,
      requests: 1,
      uptimeSeconds: 1,
    });
    expect(single.status).toBe(404);
    expect(single.json.error).toBe("Provider not found");
    const batch = await post({
      events: [{ eventId: eid("u"), providerId: "prov_nobody", tokensGenerated: 1, requests: 1, uptimeSeconds: 1 }],
    });
    expect(batch.status).toBe(400);
  });

  it("records a batch of 1,000", async () => {
    const events = Array.from({ length: 1000 }, (_, i) => ({
      eventId: eid(`b${i}`),
      providerId: [p5, p4, p3, p2][i % 4]!,
      tokensGenerated: 100 + i,
      requests: 1 + (i % 7),
      uptimeSeconds: i,
      model: i % 2 === 0 ? "gemma3:12b" : undefined,
      endpoint: ["/chat/completions", "/embeddings", "/scrape", "/tts"][i % 4],
      latencyMs: i * 20,
    }));
    const res = await post({ events });
    expect(res.status).toBe(200);
    expect(res.json.results).toHaveLength(1000);
    expect(res.json.results.every((r: { points: number }) => r.points > 0)).toBe(true);
  });

  it.skipIf(!usingRealPostgres)("20 parallel replays of one event credit it once", async () => {
    const eventId = eid("par");
    const body = { eventId, providerId: p5, tokensGenerated: 100, requests: 1, uptimeSeconds: 10 };
    const results = await Promise.all(Array.from({ length: 20 }, () => post(body)));
    expect(results.filter((r) => r.status === 200 && !r.json.results[0].duplicate)).toHaveLength(1);
    expect(await db.prisma.ledgerEntry.count({ where: { sourceEvent: `compute:${eventId}` } })).toBe(4);
  });

  it("leaves the books balanced", async () => {
    expect(await checkRewardsConservation(db.prisma)).toEqual([]);
  });
});
