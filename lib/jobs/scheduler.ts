/**
 * Runs periodic jobs inside the app server. Every instance runs the scheduler, so scaling out needs no separate
 * worker: a PostgreSQL advisory lock per job makes sure one instance at a time runs each job, and the job's row in
 * job_schedule (when it last started, on any instance) makes every instance skip it until its interval has passed,
 * so N instances run it once per interval rather than N times.
 */
import "server-only";
import { createHash } from "node:crypto";
import pg from "pg";
import { JOB_OUTCOMES, metrics } from "@/lib/observability/metrics";

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
  /** Runs one job now, due or not (if no other instance is running it); true when it ran. */
  runNow(name: string): Promise<boolean>;
}

/**
 * A timer that fires a little early (timers drift, and instances started apart knock at different moments) still
 * finds the job due: a job is due once this share of its interval has passed since it last started anywhere.
 */
const DUE_AFTER = 0.9;

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

  async function runJob(job: Job, force: boolean): Promise<boolean> {
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
        // Under the lock, so two instances cannot both find the job due.
        const due = await lockClient.query(
          `INSERT INTO job_schedule (name, last_started_at) VALUES ($1, now())
           ON CONFLICT (name) DO UPDATE SET last_started_at = now()
           WHERE $2 OR job_schedule.last_started_at <= now() - make_interval(secs => $3)
           RETURNING 1`,
          [job.name, force, (job.intervalMs / 1000) * DUE_AFTER],
        );
        if (due.rowCount === 0) {
          metrics().jobRuns.inc({ job: job.name, outcome: "skipped" });
          return false;
        }
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
    for (const outcome of JOB_OUTCOMES) metrics().jobRuns.inc({ job: job.name, outcome }, 0);
    // Spread first runs over the interval so instances started together do not all knock at once.
    const first = setTimeout(
      () => void runJob(job, false),
      Math.floor(Math.random() * Math.min(job.intervalMs, 30_000)),
    );
    const every = setInterval(() => void runJob(job, false), job.intervalMs);
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
      return runJob(job, true);
    },
  };
}
