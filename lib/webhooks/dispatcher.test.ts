// Delivery end to end: events written by the real rules, fanned out by the database, sent by the dispatcher to
// real HTTP receivers in this process that verify each request with the Standard Webhooks library.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { POST as CREATE_ACCOUNT } from "@/app/api/accounts/route";
import { GET as DELIVERIES } from "@/app/api/webhooks/[id]/deliveries/route";
import { POST as REDELIVER } from "@/app/api/webhooks/[id]/deliveries/[eventId]/redeliver/route";
import { POST as CREATE_WEBHOOK } from "@/app/api/webhooks/route";
import { applyReferral } from "@/lib/referrals/apply";
import { completeClaim, failClaim } from "@/lib/fees/claim-state";
import { addFees, newUserId, waitFor } from "@/lib/testing/fees";
import { call } from "@/lib/testing/http";
import { integrationSetup } from "@/lib/testing/integration";
import { startReceiver, type Answer, type Receiver } from "@/lib/testing/webhooks";
import { WebhookDispatcher, retrySchedule } from "./dispatcher";
import { emitEvent } from "./outbox";

const { db, auth } = await integrationSetup();
let dispatcher: WebhookDispatcher;
const receivers: Receiver[] = [];

beforeAll(() => {
  dispatcher = new WebhookDispatcher(db.prisma, { databaseUrl: db.url, schedule: [1, 1, 1] }).start();
});
afterAll(() => dispatcher.stop());
afterEach(async () => {
  // Each test's endpoints go, so later events do not reach earlier receivers.
  await db.prisma.webhookEndpoint.deleteMany();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function endpoint(events: string[], answer?: (index: number) => Answer) {
  const receiver = await startReceiver(answer && ((_, i) => answer(i)));
  receivers.push(receiver);
  const res = await call(CREATE_WEBHOOK, {
    path: "/api/webhooks",
    headers: auth.operator,
    body: { url: receiver.url, events },
  });
  expect(res.status).toBe(201);
  receiver.useSecret(res.json.secret);
  return { id: res.json.id as string, receiver };
}

const deliveries = async (id: string) =>
  (await call(DELIVERIES, { params: { id }, headers: auth.operator })).json.deliveries as {
    eventId: string;
    type: string;
    attempts: number;
    status: string;
    lastResponseStatus: number | null;
    nextAttemptAt: string | null;
  }[];

/** What `receiver` has once `count` deliveries arrived and 1.5 s more passed, time enough for one too many to show. */
async function receivedSettled(receiver: Receiver, count: number) {
  await waitFor(async () => receiver.received.length >= count);
  await new Promise((r) => setTimeout(r, 1500));
  return receiver.received;
}

/** A PENDING claim of a new account. */
async function pendingClaim(data: { amountUsd: string; walletAddress: string; transactionHash?: string }) {
  const accountId = newUserId();
  await db.prisma.account.create({ data: { id: accountId, kind: "USER" } });
  const claim = await db.prisma.claim.create({ data: { accountId, status: "PENDING", ...data } });
  return { accountId, claim };
}

describe("delivery", () => {
  it("POSTs account.created, signed and verifiable, within 2 s of the commit", async () => {
    const { id, receiver } = await endpoint(["account.created"]);
    const started = Date.now();
    const res = await call(CREATE_ACCOUNT, { path: "/api/accounts", headers: auth.operator, body: { kind: "user" } });
    expect(res.status).toBe(201);
    const [got] = await waitFor(async () => receiver.received.length > 0 && receiver.received, 5_000);
    expect(got!.at - started).toBeLessThan(2_000);
    expect(got!.payload).not.toBeNull();
    expect(got!.payload).toEqual({
      id: got!.id,
      type: "account.created",
      createdAt: expect.any(String),
      data: { accountId: res.json.id, kind: "user", referredBy: null },
    });
    expect(got!.id).toMatch(/^evt_/);
    expect(got!.signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(Math.abs(Number(got!.timestamp) - Date.now() / 1000)).toBeLessThan(10);
    const log = await waitFor(async () => {
      const list = await deliveries(id);
      return list[0]?.status === "succeeded" && list;
    });
    expect(log).toEqual([
      expect.objectContaining({
        eventId: got!.id,
        type: "account.created",
        attempts: 1,
        status: "succeeded",
        lastResponseStatus: 200,
        nextAttemptAt: null,
      }),
    ]);
  });

  it("sends only the subscribed types: referral.applied at signup and later, not account.created", async () => {
    const { receiver } = await endpoint(["referral.applied"]);
    const referrer = await call(CREATE_ACCOUNT, { headers: auth.operator, body: { kind: "user" } });
    const referred = await call(CREATE_ACCOUNT, {
      headers: auth.operator,
      body: { kind: "user", referrer: referrer.json.id },
    });
    const late = await call(CREATE_ACCOUNT, { headers: auth.operator, body: { kind: "user" } });
    await applyReferral(db.prisma, late.json.id, referrer.json.id);
    await waitFor(async () => receiver.received.length >= 2);
    const data = receiver.received.map((r) => r.payload?.data);
    expect(data).toHaveLength(2);
    expect(data).toEqual(
      expect.arrayContaining([
        { accountId: referred.json.id, referrerId: referrer.json.id },
        { accountId: late.json.id, referrerId: referrer.json.id },
      ]),
    );
  });

  it("sends fee.accrued for each referred transaction of a batch, with the exact amount", async () => {
    const { receiver } = await endpoint(["fee.accrued"]);
    const referrerId = newUserId();
    const userId = newUserId();
    await db.prisma.account.create({ data: { id: referrerId, kind: "USER" } });
    await db.prisma.account.create({ data: { id: userId, kind: "USER", referrerId, referredAt: new Date() } });
    const loner = newUserId();
    await db.prisma.account.create({ data: { id: loner, kind: "USER" } });
    await addFees(db.prisma, userId, [
      { amount: "1000", currency: "KES" },
      { amount: "0.123456789", currency: "NGN" },
    ]);
    await addFees(db.prisma, loner, [{ amount: "500", currency: "KES" }]);
    const received = await receivedSettled(receiver, 2);
    expect(received).toHaveLength(2);
    expect(received.map((r) => r.payload?.data)).toEqual(
      expect.arrayContaining([
        { orderId: expect.any(String), referrerId, currency: "KES", amount: 3 },
        { orderId: expect.any(String), referrerId, currency: "NGN", amount: 0.000370370367 },
      ]),
    );
    // Exact digits on the wire, not a float's.
    expect(received.map((r) => r.body).join()).toContain('"amount": 0.000370370367');
  });

  it("sends claim.failed when a claim fails, with no hash", async () => {
    const { receiver } = await endpoint(["claim.failed", "claim.completed"]);
    const { accountId, claim } = await pendingClaim({ amountUsd: "1.25", walletAddress: "0x" + "1".repeat(40) });
    expect(await failClaim(db.prisma, claim.id, "test")).toBe(true);
    expect(await failClaim(db.prisma, claim.id, "again")).toBe(false);
    expect((await receivedSettled(receiver, 1)).map((r) => r.payload)).toEqual([
      expect.objectContaining({
        type: "claim.failed",
        data: { claimId: claim.id, accountId, amountUsd: 1.25, transactionHash: null, status: "FAILED" },
      }),
    ]);
  });
  it("sends claim.completed when a claim completes, once", async () => {
    const { receiver } = await endpoint(["claim.completed"]);
    const hash = `0x${"ab".repeat(32)}`;
    const { accountId, claim } = await pendingClaim({
      amountUsd: "2.000001",
      walletAddress: "0x" + "2".repeat(40),
      transactionHash: hash,
    });
    expect(await completeClaim(db.prisma, claim.id)).toBe(true);
    expect(await completeClaim(db.prisma, claim.id)).toBe(false);
    expect((await receivedSettled(receiver, 1)).map((r) => r.payload)).toEqual([
      expect.objectContaining({
        type: "claim.completed",
        data: { claimId: claim.id, accountId, amountUsd: 2.000001, transactionHash: hash, status: "COMPLETED" },
      }),
    ]);
  });
});

describe("the outbox", () => {
  it("a change that rolls back emits nothing", async () => {
    const { id, receiver } = await endpoint(["*"]);
    const events = await db.prisma.webhookEvent.count();
    // A refused referral at signup rolls back the account and its account.created event.
    const provider = await call(CREATE_ACCOUNT, { headers: auth.operator, body: { kind: "provider" } });
    const refused = await call(CREATE_ACCOUNT, {
      headers: auth.operator,
      body: { kind: "user", referrer: provider.json.id },
    });
    expect(refused.status).toBe(400);
    // And any transaction that emits and then fails.
    await expect(
      db.prisma.$transaction(async (tx) => {
        await emitEvent(tx, "account.frozen", { accountId: provider.json.id, reason: "test" });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect((await receivedSettled(receiver, 1)).map((r) => r.payload?.type)).toEqual(["account.created"]);
    expect(await db.prisma.webhookEvent.count()).toBe(events + 1);
    expect((await deliveries(id)).map((d) => d.type)).toEqual(["account.created"]);
  });
});

describe("retries", () => {
  it("a receiver down for the first attempts gets the event later, with the same id", async () => {
    const { id, receiver } = await endpoint(["account.created"], (i) => (i < 2 ? 503 : 200));
    await call(CREATE_ACCOUNT, { headers: auth.operator, body: { kind: "user" } });
    await waitFor(async () => receiver.received.length >= 3, 10_000);
    const [first, second, third] = receiver.received;
    expect(new Set([first!.id, second!.id, third!.id]).size).toBe(1);
    expect(first!.body).toBe(third!.body);
    // One second apart, as WEBHOOK_RETRY_SCHEDULE says here.
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(900);
    expect(third!.at - second!.at).toBeGreaterThanOrEqual(900);
    const [delivery] = await waitFor(async () => {
      const list = await deliveries(id);
      return list[0]?.status === "succeeded" && list;
    });
    expect(delivery).toMatchObject({ attempts: 3, status: "succeeded", lastResponseStatus: 200 });
  });

  it("gives up after the last retry, and a redelivery sends it once more", async () => {
    let up = false;
    const { id, receiver } = await endpoint(["account.created"], () => (up ? 204 : 500));
    await call(CREATE_ACCOUNT, { headers: auth.operator, body: { kind: "user" } });
    const [failed] = await waitFor(async () => {
      const list = await deliveries(id);
      return list[0]?.status === "failed" && list;
    }, 15_000);
    // 1,1,1: four attempts in all.
    expect(failed).toMatchObject({ attempts: 4, status: "failed", lastResponseStatus: 500, nextAttemptAt: null });
    expect(receiver.received).toHaveLength(4);
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.received).toHaveLength(4);

    up = true;
    const res = await call(REDELIVER, {
      method: "POST",
      params: { id, eventId: failed!.eventId },
      headers: auth.operator,
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ eventId: failed!.eventId, status: "pending" });
    const [done] = await waitFor(async () => {
      const list = await deliveries(id);
      return list[0]?.status === "succeeded" && list;
    });
    expect(done).toMatchObject({ attempts: 5, lastResponseStatus: 204 });
    expect(receiver.received.at(-1)!.id).toBe(failed!.eventId);
    const audit = await db.prisma.auditLog.findFirstOrThrow({ where: { action: "webhook.redelivered" } });
    expect(audit).toMatchObject({ target: id, details: { eventId: failed!.eventId } });
  });

  it("counts no answer in 10 s, and a refused connection, as failed attempts", async () => {
    const { id } = await endpoint(["account.created"], () => "hang");
    const closed = await startReceiver();
    await closed.close();
    const refusing = await call(CREATE_WEBHOOK, {
      headers: auth.operator,
      body: { url: closed.url, events: ["account.created"] },
    });
    // A port that fetch never connects to (the Fetch standard's "bad ports": 4190 is ManageSieve).
    const blocked = await call(CREATE_WEBHOOK, {
      headers: auth.operator,
      body: { url: "http://127.0.0.1:4190/hooks", events: ["account.created"] },
    });
    const started = Date.now();
    await call(CREATE_ACCOUNT, { headers: auth.operator, body: { kind: "user" } });
    const lastError = (endpointId: string) =>
      waitFor(async () => {
        const row = await db.prisma.webhookDelivery.findFirst({ where: { endpointId, lastError: { not: null } } });
        return row ?? undefined;
      }, 20_000);
    const timedOut = await lastError(id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(10_000);
    expect(timedOut).toMatchObject({ status: "pending", lastResponseStatus: null, lastError: "No answer within 10 s" });
    const refused = await lastError(refusing.json.id);
    expect(refused).toMatchObject({ lastResponseStatus: null, lastError: "Connection failed: ECONNREFUSED" });
    // Said in words, not as fetch's bare "fetch failed".
    expect(await lastError(blocked.json.id)).toMatchObject({ lastError: "Connection failed: bad port" });
  }, 30_000);
});

describe("retry timing", () => {
  // Alone, and polling once a minute: a retry must go out when it falls due, not at the dispatcher's next poll
  // (which would make every retry up to a poll interval late).
  let punctual: WebhookDispatcher;
  beforeAll(async () => {
    await dispatcher.stop();
    punctual = new WebhookDispatcher(db.prisma, { databaseUrl: db.url, schedule: [1, 2], pollMs: 60_000 }).start();
  });
  afterAll(async () => {
    await punctual.stop();
    dispatcher = new WebhookDispatcher(db.prisma, { databaseUrl: db.url, schedule: [1, 1, 1] }).start();
  });

  it("sends each retry its delay after the attempt before it", async () => {
    const { receiver } = await endpoint(["account.created"], (i) => (i < 2 ? 503 : 200));
    await call(CREATE_ACCOUNT, { headers: auth.operator, body: { kind: "user" } });
    await waitFor(async () => receiver.received.length >= 3, 10_000);
    const [first, second, third] = receiver.received;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
    expect(second!.at - first!.at).toBeLessThan(1_500);
    expect(third!.at - second!.at).toBeGreaterThanOrEqual(1_950);
    expect(third!.at - second!.at).toBeLessThan(2_500);
  });

  it("looks for due deliveries as soon as it listens again, not at the next poll: what was sent meanwhile went unheard", async () => {
    const { receiver } = await endpoint(["account.created"]);
    const listening = () =>
      db.prisma.$queryRaw<{ pid: number }[]>`
        SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'`;
    const [before] = await listening();
    await db.prisma.$queryRaw`SELECT pg_terminate_backend(${before!.pid}::int)`;
    await waitFor(async () => !(await listening()).some(({ pid }) => pid === before!.pid));
    // Committed while the connection is gone (it reconnects after 250 ms): its notification reaches nobody.
    await call(CREATE_ACCOUNT, { headers: auth.operator, body: { kind: "user" } });
    await waitFor(async () => receiver.received.length >= 1, 10_000);
  });
});

describe("WEBHOOK_RETRY_SCHEDULE", () => {
  it("defaults to 5 s … 24 h, and is read as comma-separated seconds", () => {
    expect(retrySchedule({})).toEqual([5, 30, 120, 600, 1800, 3600, 10800, 21600, 43200, 86400]);
    expect(retrySchedule({ WEBHOOK_RETRY_SCHEDULE: "1, 2,4" })).toEqual([1, 2, 4]);
    expect(() => retrySchedule({ WEBHOOK_RETRY_SCHEDULE: "1,x" })).toThrow(/WEBHOOK_RETRY_SCHEDULE/);
    expect(() => retrySchedule({ WEBHOOK_RETRY_SCHEDULE: "-1" })).toThrow(/WEBHOOK_RETRY_SCHEDULE/);
  });
});
