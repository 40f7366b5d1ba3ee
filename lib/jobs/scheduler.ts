/**
 * Runs periodic jobs inside the app server. Every instance runs the scheduler, and a PostgreSQL advisory lock per
 * job makes sure one instance at a time runs each job, so scaling out needs no separate worker.
 */
import "server-only";
import { createHash } from "node:crypto";
import pg from "pg";
import { metrics } from "@/lib/observability/metrics";

export interface Job {
  name: string;
  intervalMs: number;
  run(): Promise<unknown>;
}

/** A stable 64-bit advisory lock key per job name (a namespace apart from the migration lock). */
export function jobLockKey(name: string): bigint {
  return createHash("sha256").update(`referral-engine job ${name}`).digest().readBigInt64BE(0);
}

export interface Scheduler {
  stop(): Promise<void>;
  /** Runs one job now (if no other instance is running it); true when it ran. */
  runNow(name: string): Promise<boolean>;
}

export function startScheduler(
  databaseUrl: string,
  jobs: readonly Job[],
  log: (line: string) => void = (line) => console.log(line),
): Scheduler {
  // One session for the locks: advisory locks are held by a session, and a pooled connection would lose track.
  const lockClient = new pg.Client({ connectionString: databaseUrl });
  const connected = lockClient.connect();
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<string>();
  let stopped = false;

  async function runJob(job: Job): Promise<boolean> {
    if (stopped || running.has(job.name)) return false;
    running.add(job.name);
    const key = jobLockKey(job.name).toString();
    try {
      await connected;
      const { rows } = await lockClient.query<{ locked: boolean }>(
        "SELECT pg_try_advisory_lock($1::bigint) AS locked",
        [key],
      );
      if (!rows[0]?.locked) {
        metrics().jobRuns.inc({ job: job.name, outcome: "skipped" });
        return false;
      }
      try {
        const result = await job.run();
        metrics().jobRuns.inc({ job: job.name, outcome: "succeeded" });
        if (result !== undefined && result !== null) log(`[job ${job.name}] ${JSON.stringify(result)}`);
        return true;
      } catch (error) {
        metrics().jobRuns.inc({ job: job.name, outcome: "failed" });
        throw error;
      } finally {
        await lockClient.query("SELECT pg_advisory_unlock($1::bigint)", [key]);
      }
    } catch (error) {
      log(`[job ${job.name}] failed: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    } finally {
      running.delete(job.name);
    }
  }

  for (const job of jobs) {
    // Spread first runs over the interval so instances started together do not all knock at once.
    const first = setTimeout(() => void runJob(job), Math.floor(Math.random() * Math.min(job.intervalMs, 30_000)));
    const every = setInterval(() => void runJob(job), job.intervalMs);
    first.unref();
    every.unref();
    timers.push(first, every);
  }

  return {
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      await connected.catch(() => undefined);
      await lockClient.end().catch(() => undefined);
    },
    async runNow(name) {
      const job = jobs.find((j) => j.name === name);
      if (!job) throw new Error(`No job named ${name}`);
      return runJob(job);
    },
  };
}
