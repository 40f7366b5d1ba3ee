/**
 * The versions in force served from memory on every instance, and a change in force on all of them within a
 * second: this test process is one instance, a child process on the same database the other.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "@/lib/referrals/accounts";
import { recordUsageEvents } from "@/lib/rewards/events";
import { usingRealPostgres } from "@/lib/testing/db";
import { waitFor } from "@/lib/testing/fees";
import { integrationSetup } from "@/lib/testing/integration";
import { startProgramCache, type CachedProgram, type ProgramCache } from "./cache";
import { programInForce, updateProgram } from "./store";

const { db } = await integrationSetup();
const root = fileURLToPath(new URL("../..", import.meta.url));

interface Reply {
  requestId: string;
  points: string;
  reads: number;
}

/** The other instance: records a usage event per request and says what it was priced at. */
class OtherInstance {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: { resolve(line: string): void; reject(error: Error): void }[] = [];
  stderr = "";

  constructor() {
    this.child = spawn(
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", "lib/testing/program-instance.ts"],
      { cwd: root, env: process.env },
    );
    this.child.stderr.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
    createInterface({ input: this.child.stdout }).on("line", (line) => this.waiting.shift()?.resolve(line));
    this.child.once("exit", () => {
      for (const w of this.waiting.splice(0)) w.reject(new Error(`the other instance exited: ${this.stderr}`));
    });
  }

  private next(): Promise<string> {
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  async ready(): Promise<void> {
    expect(JSON.parse(await this.next())).toEqual({ ready: true });
  }

  async usage(requestId: string, userId: string): Promise<Reply> {
    const reply = this.next();
    this.child.stdin.write(`${JSON.stringify({ requestId, userId })}\n`);
    return JSON.parse(await reply) as Reply;
  }

  stop(): void {
    this.child.stdin.end();
  }
}

let here: ProgramCache<CachedProgram>;
let other: OtherInstance;
let userId: string;

beforeAll(async () => {
  userId = (await createAccount(db.prisma, { kind: "user" })).account.id;
  here = startProgramCache()!;
  await waitFor(async () => here.listening);
  other = new OtherInstance();
  await other.ready();
}, 60_000);

afterAll(async () => {
  other?.stop();
  await here?.stop();
});

const scrapeHere = async (requestId: string) =>
  (await recordUsageEvents(db.prisma, [{ requestId, userId, endpoint: "/scrape" }]))[0]!.points.toFixed();

describe.skipIf(!usingRealPostgres)("the programs in memory, on two instances", () => {
  it("serves events from memory: no database read for the rules per event", async () => {
    for (let i = 0; i < 20; i++) expect(await scrapeHere(`warm-here-${i}`)).toBe("0.2");
    const readsHere = here.reads;
    const first = await other.usage("warm-other-0", userId);
    for (let i = 1; i < 20; i++) expect((await other.usage(`warm-other-${i}`, userId)).points).toBe("0.2");
    const last = await other.usage("warm-other-20", userId);
    expect(last.reads).toBe(first.reads);
    expect(here.reads).toBe(readsHere);
  });

  it("puts a rate change in force for the next event here at once, and on the other instance within 1 s", async () => {
    expect((await other.usage("before-change", userId)).points).toBe("0.2");
    await updateProgram(db.prisma, "rewards", { usagePoints: { "/scrape": { base: "0.5" } } }, "cli:test");
    const changed = performance.now();
    expect(await scrapeHere("here-after-change")).toBe("0.5");

    const seen: string[] = [];
    let elapsed = 0;
    for (let i = 0; ; i++) {
      const reply = await other.usage(`other-after-change-${i}`, userId);
      seen.push(reply.points);
      elapsed = performance.now() - changed;
      if (reply.points === "0.5" || elapsed > 5_000) break;
    }
    expect(seen.at(-1)).toBe("0.5");
    expect(elapsed).toBeLessThan(1_000);
    // The replay of an event priced before the change answers its first price on either instance.
    expect((await other.usage("before-change", userId)).points).toBe("0.2");
    console.info(`rate change seen by the other instance after ${elapsed.toFixed(0)} ms (${seen.length} events)`);
  });

  it("forgets what it holds while its listener is down, so a change made meanwhile is never missed", async () => {
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      await programInForce(db.prisma, "perpetual");
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND query = 'LISTEN program_changed' AND pid <> pg_backend_pid()`,
      );
      await waitFor(async () => !here.listening);
      // Written while nobody listens: no notification will ever say so.
      await admin.query(
        `INSERT INTO program_version (name, version, document, created_by)
         SELECT name, version + 1, jsonb_set(document, '{holdDays}', '2'), 'cli:test'
         FROM program_version WHERE name = 'perpetual' ORDER BY version DESC LIMIT 1`,
      );
      expect((await programInForce(db.prisma, "perpetual")).document.holdDays).toBe(2);
      await waitFor(async () => here.listening, 10_000);
      expect((await programInForce(db.prisma, "perpetual")).document.holdDays).toBe(2);
    } finally {
      await admin.end();
    }
  });
});
