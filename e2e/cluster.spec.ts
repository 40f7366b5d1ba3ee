/**
 * The engine scaled out (docs/operations.md, README "Running in production"): one cluster of three production
 * instances behind haproxy, on a PostgreSQL primary with a streaming replica, Redis and anvil, started once for
 * every case here (scripts/cluster.ts). What must hold across instances: live updates, exactly-once claims and
 * events, nothing lost or doubled when an instance dies mid-batch, jobs once per interval, shared rate limits,
 * and reads that may lag never showing a user a balance older than their own last claim.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { expect, test, type Page } from "@playwright/test";
import { createPrisma, type Db } from "@/lib/db/client";
import { benchClaims } from "../scripts/bench/claims";
import { planForest, writeForest } from "../scripts/bench/forest";
import { startCluster, type Cluster } from "../scripts/cluster";
import { sseReader } from "@/lib/testing/sse";
import { noteTestSecret } from "@/lib/testing/secrets";
import { startReceiver } from "@/lib/testing/webhooks";
import { signUp } from "./dashboard-support";

test.describe.configure({ mode: "serial" });

const INSTANCES = 3;
const ACCOUNT_WRITES_PER_MINUTE = 12;
const RECONCILE_SECONDS = 2;

let cluster: Cluster;
let db: Db;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  cluster = await startCluster({
    instances: INSTANCES,
    build: false,
    log: () => undefined,
    // Appended to the run's server log, which `npm test` checks for secrets.
    logFile: process.env.E2E_LOG_FILE,
    env: {
      RATE_LIMIT_ACCOUNT_PER_MINUTE: String(ACCOUNT_WRITES_PER_MINUTE),
      CLAIMS_RECONCILE_SECONDS: String(RECONCILE_SECONDS),
      PAYOUT_POLL_INTERVAL_MS: "100",
    },
  });
  noteTestSecret(cluster.secretKey, cluster.publishableKey, cluster.metricsToken, cluster.authSecret);
  db = createPrisma(cluster.primaryUrl);
  // The claims' referrers and the killed ingestion's users: a referral forest written as the benchmark writes one
  // (it needs the tables to itself, so before anything else).
  await writeForest(db, planForest(6_000, 7));
});

test.afterAll(async () => {
  await db?.$disconnect();
  await cluster?.stop();
});

const operator = () => ({ "x-api-key": cluster.secretKey, "content-type": "application/json" });

async function api<T = Record<string, unknown>>(
  base: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: { "content-type": "application/json", ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function newUser(base: string, referrer?: string): Promise<string> {
  const res = await api<{ id: string }>(base, "/api/accounts", {
    headers: operator(),
    body: { kind: "user", referrer },
  });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function userHeaders(accountId: string): Promise<Record<string, string>> {
  const res = await api<{ token: string }>(cluster.url, "/api/auth/token", {
    headers: operator(),
    body: { accountId },
  });
  expect(res.status).toBe(200);
  return { authorization: `Bearer ${res.body.token}`, "x-api-key": cluster.publishableKey };
}

test("a change made through one instance reaches a stream held by another within a second", async () => {
  const [a, b] = cluster.instances;
  const user = await newUser(b!.url);
  const res = await fetch(`${a!.url}/api/live`, { headers: await userHeaders(user) });
  expect(res.status).toBe(200);
  const stream = sseReader(res.body!);
  const latencies: number[] = [];
  try {
    for (let i = 0; i < 20; i++) {
      const posted = await api(b!.url, "/api/events/usage", {
        headers: operator(),
        body: { requestId: `live-${user}-${i}`, userId: user, endpoint: "/scrape" },
      });
      expect(posted.status).toBe(200);
      const answered = performance.now();
      const event = await stream.next(5_000);
      latencies.push(performance.now() - answered);
      expect(event).toEqual({ event: "changed", data: '{"what":["rewards"]}' });
    }
  } finally {
    await stream.close();
  }
  latencies.sort((x, y) => x - y);
  const figure = `stream on instance 1, credit through instance 2: p50 ${latencies[10]!.toFixed(1)} ms, max ${latencies[19]!.toFixed(1)} ms after the write's answer (20 credits)`;
  console.log(figure);
  test.info().annotations.push({ type: "live latency", description: figure });
});

/** Requests the page makes to a path, counted from now. */
function countRequests(page: Page, fragment: string): { count: () => number } {
  let n = 0;
  page.on("request", (request) => {
    if (request.url().includes(fragment)) n++;
  });
  return { count: () => n };
}

test("a dashboard shows a credit made through another instance within a second, without polling", async ({
  browser,
}) => {
  const [a, b] = cluster.instances;
  const context = await browser.newContext({ baseURL: a!.url });
  const page = await context.newPage();
  try {
    const streamOpen = page.waitForResponse((r) => r.url().endsWith("/api/live") && r.status() === 200);
    const me = await signUp(page);
    await streamOpen;
    await expect(page.getByTestId("earnings-base")).toHaveText("0");
    const statsRequests = countRequests(page, "/referral-stats");
    // Longer than the 4 s polling interval: with the stream open, nothing is polled.
    await page.waitForTimeout(5_000);
    expect(statsRequests.count()).toBe(0);

    const posted = await api(b!.url, "/api/events/usage", {
      headers: operator(),
      body: { requestId: `dash-${me}`, userId: me, endpoint: "/chat/completions", tokens: 1000 },
    });
    expect(posted.status).toBe(200);
    const answered = Date.now();
    await expect(page.getByTestId("earnings-base")).toHaveText("2", { timeout: 5_000 });
    const shownAfterMs = Date.now() - answered;
    // One refetch, caused by the event.
    expect(statsRequests.count()).toBe(1);
    const figure = `dashboard on instance 1 showed a credit made through instance 2 ${shownAfterMs} ms after the write's answer`;
    console.log(figure);
    test.info().annotations.push({ type: "dashboard latency", description: figure });
  } finally {
    await context.close();
  }
});

test("the same event posted to every instance at once is credited once", async () => {
  const referrer = await newUser(cluster.url);
  const user = await newUser(cluster.url, referrer);
  const body = {
    requestId: `same-${randomBytes(6).toString("hex")}`,
    userId: user,
    endpoint: "/chat/completions",
    tokens: 1000,
  };
  const replies = await Promise.all(
    cluster.instances.flatMap((instance) =>
      [0, 1, 2].map(() =>
        api<{ results: { duplicate: boolean; points: number }[] }>(instance.url, "/api/events/usage", {
          headers: operator(),
          body,
        }),
      ),
    ),
  );
  expect(replies.map((r) => r.status)).toEqual(replies.map(() => 200));
  expect(replies.filter((r) => !r.body.results[0]!.duplicate)).toHaveLength(1);
  expect(new Set(replies.map((r) => r.body.results[0]!.points))).toEqual(new Set([2]));
  const rows = await db.$queryRaw<{ account_id: string; amount: string }[]>`
    SELECT account_id, amount::text FROM ledger_entry WHERE source_event = ${`usage:${body.requestId}`} ORDER BY level`;
  expect(rows).toEqual([
    { account_id: user, amount: "2.000000000000000000" },
    { account_id: referrer, amount: "0.300000000000000000" },
  ]);
});

test("1,000 claims from 1,000 referrers spread over the instances are each paid exactly once", async () => {
  test.setTimeout(600_000);
  const result = await benchClaims({
    db,
    baseUrl: cluster.url,
    secretKey: cluster.secretKey,
    publishableKey: cluster.publishableKey,
    chain: cluster.chain,
    referrers: 1_000,
    clients: 16,
  });
  console.log(
    `claims across ${INSTANCES} instances: ${result.referrers} referrers, ${result.claimsPerSecond}/s, p50 ${result.claimLatency.p50} ms, ${JSON.stringify(result.statuses)}`,
  );
  expect(result.problems).toEqual([]);
  expect(result.referrers).toBe(1_000);
  expect(result.statuses).toEqual({ COMPLETED: 1_000 });
  expect(result.paidExactlyOnce).toBe(true);
});

test("a referrer claiming on every instance at once is paid once", async () => {
  const wallet = `0x${randomBytes(20).toString("hex")}`;
  const referrer = await newUser(cluster.url);
  await db.account.update({ where: { id: referrer }, data: { walletAddress: wallet } });
  const user = await newUser(cluster.url, referrer);
  const tx = { orderId: `race-${referrer}`, userId: user, type: "pay", amount: 100_000, currency: "KES" };
  expect((await api(cluster.url, "/api/events/transactions", { headers: operator(), body: tx })).status).toBe(200);
  const headers = await userHeaders(referrer);
  const replies = await Promise.all(
    cluster.instances.map((instance) =>
      api<{ status?: string; code?: string }>(instance.url, "/api/referral-fees/claim", { method: "POST", headers }),
    ),
  );
  const paid = replies.filter((r) => r.status === 200);
  expect(paid).toHaveLength(1);
  expect(paid[0]!.body.status).toBe("COMPLETED");
  for (const refused of replies.filter((r) => r.status !== 200)) {
    expect([409, 400]).toContain(refused.status);
    expect(["claim_in_progress", "claim_cooldown"]).toContain(refused.body.code);
  }
  const claims = await db.claim.findMany({ where: { accountId: referrer } });
  // 0.3 % of 100,000 KES at 0.0077 USD per KES (the rates the claims above set).
  expect(claims.map((c) => [c.status, c.amountUsd.toString()])).toEqual([["COMPLETED", "2.31"]]);
});

test("an instance killed in the middle of batched ingestion loses and doubles nothing", async () => {
  test.setTimeout(300_000);
  const users = await db.$queryRaw<{ id: string }[]>`
    SELECT id FROM account WHERE kind = 'USER' ORDER BY id LIMIT 500`;
  const victim = cluster.instances[2]!;
  const tag = randomBytes(4).toString("hex");
  const batches = Array.from({ length: 24 }, (_, b) =>
    Array.from({ length: 1_000 }, (_, i) => ({
      requestId: `kill-${tag}-${b}-${i}`,
      userId: users[(b * 1_000 + i) % users.length]!.id,
      endpoint: "/chat/completions",
      tokens: (i % 7) * 100,
    })),
  );
  let sentToVictim = 0;
  let killed = false;
  let retried = 0;
  const send = async (batch: (typeof batches)[number], first: number) => {
    // Clients retry a failed batch with the same ids on the next instance, as an operator's backend would.
    for (let attempt = 0; ; attempt++) {
      const instance = cluster.instances[(first + attempt) % INSTANCES]!;
      if (instance === victim && killed) continue;
      if (instance === victim && ++sentToVictim === 3 && !killed) {
        // Killed while this batch (and others) are in flight on it.
        setTimeout(() => {
          killed = true;
          victim.kill();
        }, 50);
      }
      try {
        const res = await fetch(`${instance.url}/api/events/usage`, {
          method: "POST",
          headers: operator(),
          body: JSON.stringify({ events: batch }),
        });
        if (res.status === 200) return;
        retried++;
      } catch {
        retried++;
      }
      expect(attempt).toBeLessThan(10);
    }
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async (_, client) => {
      for (let b = next++; b < batches.length; b = next++) await send(batches[b]!, b + client);
    }),
  );
  expect(killed).toBe(true);
  expect(retried).toBeGreaterThan(0);

  const ids = batches.flat().map((e) => e.requestId);
  const [events] = await db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM reward_event WHERE type = 'USAGE' AND external_id = ANY(${ids}::text[])`;
  expect(Number(events!.n)).toBe(ids.length);
  const [bases] = await db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM ledger_entry WHERE kind = 'BASE' AND source_event = ANY(${ids.map((id) => `usage:${id}`)}::text[])`;
  expect(Number(bases!.n)).toBe(ids.length);
  const check = spawnSync(
    process.execPath,
    [createRequire(import.meta.url).resolve("tsx/cli"), "--conditions=react-server", "scripts/ledger-check.ts"],
    {
      env: { ...process.env, DATABASE_URL: cluster.primaryUrl },
      encoding: "utf8",
    },
  );
  expect(check.stderr + check.stdout).toContain("no differences");
  expect(check.status).toBe(0);
  await cluster.restart(2);
});

/** The sum over every instance of one series of GET /api/metrics. */
async function clusterCounter(series: string): Promise<number> {
  let total = 0;
  for (const instance of cluster.instances) {
    const res = await fetch(`${instance.url}/api/metrics`, {
      headers: { authorization: `Bearer ${cluster.metricsToken}` },
    });
    expect(res.status).toBe(200);
    const line = (await res.text()).split("\n").find((l) => l.startsWith(`${series} `));
    total += line ? Number(line.split(" ")[1]) : 0;
  }
  return total;
}

test("a background job runs once per interval across the instances", async () => {
  const ran = 'referral_job_runs_total{job="claims-reconcile",outcome="succeeded"}';
  const skipped = 'referral_job_runs_total{job="claims-reconcile",outcome="skipped"}';
  const before = { ran: await clusterCounter(ran), skipped: await clusterCounter(skipped), at: Date.now() };
  await new Promise((r) => setTimeout(r, 12_000));
  const after = { ran: await clusterCounter(ran), skipped: await clusterCounter(skipped), at: Date.now() };
  const intervals = (after.at - before.at) / (RECONCILE_SECONDS * 1000);
  const runs = after.ran - before.ran;
  console.log(
    `claims-reconcile: ${runs} runs and ${after.skipped - before.skipped} skips in ${intervals.toFixed(1)} intervals on ${INSTANCES} instances`,
  );
  // Every instance knocks every interval; one run per interval across all of them (± the window's edges).
  expect(runs).toBeGreaterThanOrEqual(Math.floor(intervals) - 1);
  expect(runs).toBeLessThanOrEqual(Math.ceil(intervals / 0.9) + 1);
  expect(after.skipped - before.skipped).toBeGreaterThan(runs);
});

test("webhook events are delivered by every instance, each once, never two sends of one at a time", async () => {
  const receiver = await startReceiver(async () => {
    // Slow answers keep deliveries in flight, so the instances meet over them.
    await new Promise((r) => setTimeout(r, 30));
    return 200;
  });
  try {
    const made = await api<{ id: string; secret: string }>(cluster.url, "/api/webhooks", {
      headers: operator(),
      body: { url: receiver.url, events: ["account.created"] },
    });
    expect(made.status).toBe(201);
    receiver.useSecret(made.body.secret);
    const perInstance = async () => {
      const counts: number[] = [];
      for (const instance of cluster.instances) {
        const res = await fetch(`${instance.url}/api/metrics`, {
          headers: { authorization: `Bearer ${cluster.metricsToken}` },
        });
        const line = (await res.text())
          .split("\n")
          .find((l) => l.startsWith('referral_webhook_deliveries_total{outcome="succeeded"} '));
        counts.push(line ? Number(line.split(" ")[1]) : 0);
      }
      return counts;
    };
    const before = await perInstance();
    // Created through the load balancer, so through every instance.
    const accounts = await Promise.all(Array.from({ length: 60 }, () => newUser(cluster.url)));
    await expect.poll(() => new Set(receiver.received.map((r) => r.id)).size, { timeout: 30_000 }).toBe(60);
    await new Promise((r) => setTimeout(r, 1_500));

    expect(receiver.received).toHaveLength(60);
    expect(receiver.maxConcurrentPerId()).toBe(1);
    expect(receiver.received.every((r) => r.payload !== null)).toBe(true);
    expect(receiver.received.map((r) => r.payload!.data.accountId).sort()).toEqual([...accounts].sort());
    const delivered = (await perInstance()).map((n, i) => n - before[i]!);
    console.log(`webhook deliveries per instance: ${delivered.join(", ")}`);
    expect(delivered.reduce((a, b) => a + b, 0)).toBe(60);
    expect(delivered.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
    const gone = await api(cluster.url, `/api/webhooks/${made.body.id}`, { method: "DELETE", headers: operator() });
    expect(gone.status).toBe(200);
  } finally {
    await receiver.close();
  }
});

test("an account's rate limit holds across the instances", async () => {
  const user = await newUser(cluster.url);
  const headers = await userHeaders(user);
  // The window is a calendar minute: start well inside one.
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 50_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 100));
  const replies = await Promise.all(
    Array.from({ length: ACCOUNT_WRITES_PER_MINUTE * 2 }, (_, i) =>
      api(cluster.instances[i % INSTANCES]!.url, "/api/referrals/apply", {
        headers,
        body: { code: "usr_doesnotexist00000000" },
      }),
    ),
  );
  const limited = replies.filter((r) => r.status === 429).length;
  expect(replies.length - limited).toBe(ACCOUNT_WRITES_PER_MINUTE);
  expect(limited).toBe(ACCOUNT_WRITES_PER_MINUTE);
});

test("a replica lagging by seconds never shows a user a balance older than their own last claim", async () => {
  const admin = async (sql: string) => {
    const { Client } = (await import("pg")).default;
    const client = new Client({ connectionString: cluster.replicaUrl.replace(/\/referral$/, "/postgres") });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin("ALTER SYSTEM SET recovery_min_apply_delay = '4s'");
  await admin("SELECT pg_reload_conf()");
  try {
    const wallet = `0x${randomBytes(20).toString("hex")}`;
    const referrer = await newUser(cluster.url);
    await db.account.update({ where: { id: referrer }, data: { walletAddress: wallet } });
    const user = await newUser(cluster.url, referrer);
    const headers = await userHeaders(referrer);
    await new Promise((r) => setTimeout(r, 5_000));
    const tx = { orderId: `lag-${referrer}`, userId: user, type: "pay", amount: 50_000, currency: "KES" };
    expect((await api(cluster.url, "/api/events/transactions", { headers: operator(), body: tx })).status).toBe(200);
    await api(cluster.url, "/api/events/usage", {
      headers: operator(),
      body: { requestId: `lag-${user}`, userId: user, endpoint: "/chat/completions", tokens: 1000 },
    });
    // The stats may lag (they read the replica, 4 s behind): the referrer's share is not there yet.
    const stale = await api<{ earnings: { level1: number } }>(
      cluster.instances[0]!.url,
      `/api/user/${referrer}/referral-stats`,
      { headers },
    );
    expect(stale.body.earnings.level1).toBe(0);

    const claim = await api<{ id: string; status: string }>(cluster.instances[0]!.url, "/api/referral-fees/claim", {
      method: "POST",
      headers,
    });
    expect(claim.status).toBe(200);
    expect(claim.body.status).toBe("COMPLETED");
    // Right after the claim, on every other instance: the balance, entries and claims already count it.
    for (const instance of cluster.instances.slice(1)) {
      const balance = await api<{ totalUsd: number; entryCount: number; canClaim: boolean }>(
        instance.url,
        "/api/referral-fees/balance",
        { headers },
      );
      expect(balance.body).toMatchObject({ totalUsd: 0, entryCount: 0, canClaim: false });
      const entries = await api<{ entries: unknown[] }>(instance.url, "/api/referral-fees/entries", { headers });
      expect(entries.body.entries).toEqual([]);
      const claims = await api<{ claims: { id: string; status: string }[] }>(
        instance.url,
        "/api/referral-fees/claims",
        { headers },
      );
      expect(claims.body.claims[0]).toMatchObject({ id: claim.body.id, status: "COMPLETED" });
    }
  } finally {
    await admin("ALTER SYSTEM RESET recovery_min_apply_delay");
    await admin("SELECT pg_reload_conf()");
  }
});
