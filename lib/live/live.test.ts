/**
 * Live updates on one instance, against a real PostgreSQL (LISTEN/NOTIFY): the triggers notify in the writer's
 * transaction, the hub fans out to the right streams, and streams end cleanly. Across instances: the cluster
 * tests (scripts/cluster.test.ts).
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as postUsage } from "@/app/api/events/usage/route";
import { POST as postTransactions } from "@/app/api/events/transactions/route";
import { GET as live } from "@/app/api/live/route";
import { DatabaseListener } from "@/lib/db/listener";
import { dec } from "@/lib/money";
import { appendLedger } from "@/lib/rewards/ledger";
import { createAccountAsOperator } from "@/lib/testing/accounts";
import { usingRealPostgres } from "@/lib/testing/db";
import { call } from "@/lib/testing/http";
import { integrationSetup } from "@/lib/testing/integration";
import { sseReader, type SseReader } from "@/lib/testing/sse";
import { LiveHub, liveHub } from "./hub";
import { LiveUnavailable, openLiveStream } from "./stream";

const { db, auth } = await integrationSetup();
const aborts: AbortController[] = [];

const newAccount = (referrer?: string) => createAccountAsOperator(auth, { kind: "user", referrer });

/** Opens GET /api/live as the account, the way a browser would, and reads its events. */
async function openStream(accountId: string): Promise<{ reader: SseReader; abort: AbortController; res: Response }> {
  const abort = new AbortController();
  aborts.push(abort);
  const res = await live(
    new Request("http://127.0.0.1/api/live", { headers: await auth.as(accountId), signal: abort.signal }),
    { params: Promise.resolve({}) },
  );
  expect(res.status).toBe(200);
  return { reader: sseReader(res.body!), abort, res };
}

const what = async (reader: SseReader) => {
  const event = await reader.next();
  expect(event.event).toBe("changed");
  return (JSON.parse(event.data) as { what: string[] }).what;
};

afterAll(async () => {
  for (const abort of aborts) abort.abort();
  await liveHub()?.stop();
});

describe.skipIf(!usingRealPostgres)("GET /api/live", () => {
  let referrer: string;
  let user: string;
  let stranger: string;
  beforeAll(async () => {
    referrer = await newAccount();
    user = await newAccount(referrer);
    stranger = await newAccount();
  });

  it("is an event stream that starts with a comment", async () => {
    const { res, reader, abort } = await openStream(user);
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-cache, no-transform");
    abort.abort();
    await reader.ended();
    expect(reader.comments).toContain("connected");
  });

  it("tells the earner and each referrer that rewards changed, and nobody else", async () => {
    const mine = await openStream(user);
    const theirs = await openStream(referrer);
    const other = await openStream(stranger);
    const res = await call(postUsage, {
      path: "/api/events/usage",
      headers: auth.operator,
      body: { requestId: "live-usage-1", userId: user, endpoint: "/scrape" },
    });
    expect(res.status).toBe(200);
    expect(await what(mine.reader)).toEqual(["rewards"]);
    expect(await what(theirs.reader)).toEqual(["rewards"]);
    // The stranger's stream hears of its own change only: the first thing it reads is its own event.
    await call(postUsage, {
      path: "/api/events/usage",
      headers: auth.operator,
      body: { requestId: "live-usage-2", userId: stranger, endpoint: "/scrape" },
    });
    expect(await what(other.reader)).toEqual(["rewards"]);
    for (const s of [mine, theirs, other]) s.abort.abort();
  });

  it("tells the referrer that fees changed when a referred user's transaction is recorded", async () => {
    const theirs = await openStream(referrer);
    const res = await call(postTransactions, {
      path: "/api/events/transactions",
      headers: auth.operator,
      body: { orderId: "live-order-1", userId: user, type: "pay", amount: 1000, currency: "KES" },
    });
    expect(res.status).toBe(200);
    expect(await what(theirs.reader)).toEqual(["fees"]);
    theirs.abort.abort();
  });

  it("says nothing of a change that was rolled back", async () => {
    const mine = await openStream(stranger);
    const row = (n: number) => ({
      accountId: stranger,
      amount: dec(1),
      kind: "BASE" as const,
      level: 0,
      sourceEvent: `usage:live-rollback-${n}`,
      originAccountId: stranger,
    });
    await expect(
      db.prisma.$transaction(async (tx) => {
        await appendLedger(tx, [row(1)]);
        throw new Error("rolled back on purpose");
      }),
    ).rejects.toThrow("rolled back on purpose");
    await db.prisma.$executeRaw`SELECT notify_accounts_changed('claims', ARRAY[${stranger}])`;
    // Notifications arrive in commit order: had the rollback notified, "rewards" would come first.
    expect(await what(mine.reader)).toEqual(["claims"]);
    mine.abort.abort();
  });

  it("coalesces changes that come while the reader is not reading into one event", async () => {
    const mine = await openStream(stranger);
    await db.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT notify_accounts_changed('claims', ARRAY[${stranger}])`;
      await tx.$executeRaw`SELECT notify_accounts_changed('fees', ARRAY[${stranger}])`;
      await tx.$executeRaw`SELECT notify_accounts_changed('rewards', ARRAY[${stranger}])`;
    });
    expect(await what(mine.reader)).toEqual(["rewards", "fees", "claims"]);
    mine.abort.abort();
  });

  it("forgets a stream when its client goes away", async () => {
    const before = liveHub()!.subscribersOf(user);
    const mine = await openStream(user);
    expect(liveHub()!.subscribersOf(user)).toBe(before + 1);
    mine.abort.abort();
    await mine.reader.ended();
    expect(liveHub()!.subscribersOf(user)).toBe(before);
  });

  it("refuses a stream without a user's credentials", async () => {
    expect((await call(live, { path: "/api/live" })).status).toBe(401);
    expect((await call(live, { path: "/api/live", headers: auth.operator })).status).toBe(403);
  });

  it("ends every stream when it loses the database, and reconnects", async () => {
    const mine = await openStream(user);
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN account_changed'`,
      );
    } finally {
      await admin.end();
    }
    await mine.reader.ended();
    const deadline = Date.now() + 20_000;
    while (!liveHub()!.listening && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(liveHub()!.listening).toBe(true);
    const again = await openStream(user);
    await call(postUsage, {
      path: "/api/events/usage",
      headers: auth.operator,
      body: { requestId: "live-usage-3", userId: user, endpoint: "/scrape" },
    });
    expect(await what(again.reader)).toEqual(["rewards"]);
    again.abort.abort();
  });
});

describe.skipIf(!usingRealPostgres)("notifications of a large batch", () => {
  it("are split under PostgreSQL's 8000-byte limit and name every account once", async () => {
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    const payloads: string[] = [];
    listener.on("notification", (n) => payloads.push(n.payload ?? ""));
    await listener.query("LISTEN account_changed");
    try {
      const ids = Array.from({ length: 4000 }, (_, i) => `usr_${String(i).padStart(20, "0")}`);
      await db.prisma.$executeRaw`SELECT notify_accounts_changed('rewards', ${ids}::text[])`;
      const deadline = Date.now() + 10_000;
      const named = () => payloads.flatMap((p) => p.split(" ").slice(1));
      while (named().length < ids.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(payloads.length).toBeGreaterThan(1);
      for (const p of payloads) {
        expect(Buffer.byteLength(p)).toBeLessThan(8000);
        expect(p.startsWith("rewards ")).toBe(true);
      }
      expect(named().sort()).toEqual(ids);
    } finally {
      await listener.end();
    }
  });
});

describe("a hub that cannot reach the database", () => {
  it("is none when live updates are disabled (the embedded database), and streams are refused", async () => {
    process.env.LIVE_UPDATES_DISABLED = "true";
    try {
      expect(liveHub()).toBeNull();
      await expect(openLiveStream(liveHub(), "usr_nobody", new AbortController().signal)).rejects.toBeInstanceOf(
        LiveUnavailable,
      );
    } finally {
      delete process.env.LIVE_UPDATES_DISABLED;
    }
  });

  it("refuses streams with 503 live_unavailable, so browsers keep polling", async () => {
    const unreachable = "postgresql://postgres@127.0.0.1:1/none";
    const hub = new LiveHub({ listener: new DatabaseListener({ databaseUrl: unreachable, backoffMs: 60_000 }) });
    try {
      const refusal = openLiveStream(hub, "usr_nobody", new AbortController().signal);
      await expect(refusal).rejects.toBeInstanceOf(LiveUnavailable);
      await expect(refusal).rejects.toMatchObject({ status: 503, code: "live_unavailable" });
      expect(hub.streamCount).toBe(0);
    } finally {
      await hub.stop();
    }
  });
});
