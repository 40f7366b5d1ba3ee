// Webhook delivery across processes: dispatchers in processes of their own (what every app instance runs,
// started by `npm run webhooks:dispatch`), a real PostgreSQL, real HTTP receivers in this process.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "@/lib/testing/fees";
import { integrationSetup } from "@/lib/testing/integration";
import { usingRealPostgres } from "@/lib/testing/db";
import { startReceiver, type Answer, type Receiver } from "@/lib/testing/webhooks";
import { createWebhookEndpoint } from "./endpoints";
import { emitEvent } from "./outbox";

const { db } = await integrationSetup();
const root = fileURLToPath(new URL("../..", import.meta.url));
const children: ChildProcess[] = [];
const receivers: Receiver[] = [];

afterEach(async () => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await db.prisma.webhookEndpoint.deleteMany();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

interface Dispatcher {
  child: ChildProcess;
  /** Stops it (SIGTERM) and returns the attempts it recorded, by outcome. */
  stop(): Promise<Record<string, number>>;
}

/** Node itself with tsx's loader, not the tsx wrapper: SIGKILL must reach the process that sends. */
async function startDispatcher(): Promise<Dispatcher> {
  const child = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "scripts/webhooks-dispatch.ts"],
    {
      cwd: root,
      env: { ...process.env, DATABASE_URL: db.url, WEBHOOK_RETRY_SCHEDULE: "1,1,1", LOG_LEVEL: "error" },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  children.push(child);
  let stdout = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  await waitFor(async () => stdout.includes('"dispatching":true'), 30_000);
  return {
    child,
    async stop() {
      const exited = new Promise((resolve) => child.once("close", resolve));
      child.kill("SIGTERM");
      await exited;
      const line = stdout.split("\n").find((l) => l.includes('"attempts"'));
      return (JSON.parse(line!) as { attempts: Record<string, number> }).attempts;
    },
  };
}

async function endpoint(answer: (id: string, index: number) => Answer | Promise<Answer>) {
  const receiver = await startReceiver((request, index) => answer(request.id, index));
  receivers.push(receiver);
  const made = await createWebhookEndpoint(db.prisma, { url: receiver.url, events: ["*"] }, "cli:test");
  receiver.useSecret(made.secret);
  return { id: made.id, receiver };
}

async function emit(count: number): Promise<string[]> {
  return db.prisma.$transaction(async (tx) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++)
      ids.push(await emitEvent(tx, "account.frozen", { accountId: `usr_${i}`, reason: "test" }));
    return ids;
  });
}

describe.skipIf(!usingRealPostgres)("dispatchers in separate processes", () => {
  it("two instances never deliver one event twice at once, and together deliver each exactly once", async () => {
    const [a, b] = await Promise.all([startDispatcher(), startDispatcher()]);
    // Slow answers keep deliveries in flight long enough for the two to meet; one id in four fails its first
    // attempt, so retries run across both instances too.
    const answer = () => {
      const failedOnce = new Set<string>();
      return async (id: string) => {
        await new Promise((r) => setTimeout(r, 20));
        const unlucky = createHash("sha256").update(id).digest()[0]! % 4 === 0;
        if (unlucky && !failedOnce.has(id)) {
          failedOnce.add(id);
          return 500;
        }
        return 200;
      };
    };
    const endpoints = [];
    for (let i = 0; i < 3; i++) endpoints.push(await endpoint(answer()));
    const ids = await emit(150);
    await waitFor(
      async () => (await db.prisma.webhookDelivery.count({ where: { status: "succeeded" } })) === 450,
      60_000,
    );
    const [fromA, fromB] = await Promise.all([a.stop(), b.stop()]);

    for (const { receiver } of endpoints) {
      expect(receiver.maxConcurrentPerId()).toBe(1);
      expect(receiver.received.every((r) => r.payload !== null)).toBe(true);
      const sent = new Map<string, number>();
      for (const r of receiver.received) sent.set(r.id, (sent.get(r.id) ?? 0) + 1);
      expect([...sent.keys()].sort()).toEqual([...ids].sort());
      // One send per event, and a second only for the ones whose first attempt failed.
      for (const [id, times] of sent) {
        const unlucky = createHash("sha256").update(id).digest()[0]! % 4 === 0;
        expect(times).toBe(unlucky ? 2 : 1);
      }
    }
    const total = (counts: Record<string, number>) => Object.values(counts).reduce((x, y) => x + y, 0);
    expect(total(fromA) + total(fromB)).toBe(endpoints.reduce((n, e) => n + e.receiver.received.length, 0));
    // Both took part.
    expect(total(fromA)).toBeGreaterThan(0);
    expect(total(fromB)).toBeGreaterThan(0);
  }, 120_000);

  it("a dispatcher killed between sending and recording: the event is sent again with the same id", async () => {
    let first: (() => void) | undefined;
    const sentOnce = new Promise<void>((resolve) => (first = resolve));
    const handled = new Set<string>();
    let duplicates = 0;
    const { id, receiver } = await endpoint((eventId, index) => {
      if (index === 0) {
        first!();
        return "hang";
      }
      // The receiver's own deduplication, on webhook-id.
      if (handled.has(eventId)) duplicates++;
      handled.add(eventId);
      return 200;
    });
    const doomed = await startDispatcher();
    const [eventId] = await emit(1);
    await sentOnce;
    doomed.child.kill("SIGKILL");
    await new Promise((resolve) => doomed.child.once("close", resolve));
    const row = await db.prisma.webhookDelivery.findFirstOrThrow({ where: { endpointId: id } });
    // Sent, never recorded.
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastResponseStatus: null });

    const next = await startDispatcher();
    await waitFor(async () => receiver.received.length >= 2, 30_000);
    const [killed, again] = receiver.received;
    expect(again!.id).toBe(eventId);
    expect(killed!.id).toBe(eventId);
    expect(again!.body).toBe(killed!.body);
    expect(again!.payload).not.toBeNull();
    // Not before the first sender's lease ran out.
    expect(again!.at - killed!.at).toBeGreaterThanOrEqual(14_000);
    const done = await waitFor(async () =>
      db.prisma.webhookDelivery.findFirst({ where: { endpointId: id, status: "succeeded" } }),
    );
    expect(done).toMatchObject({ attempts: 2, lastResponseStatus: 200 });
    expect(handled.size).toBe(1);
    expect(duplicates).toBe(0);
    await next.stop();
  }, 60_000);
});
