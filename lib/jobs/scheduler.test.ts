import { describe, expect, it } from "vitest";
import { usingRealPostgres } from "@/lib/testing/db";
import { integrationSetup } from "@/lib/testing/integration";
import { exposition } from "@/lib/observability/metrics";
import { startScheduler, type Job } from "./scheduler";

const { db } = await integrationSetup();

describe("scheduler", () => {
  it("shows each job's run counts from the start, at 0 until the job runs", async () => {
    const scheduler = startScheduler(db.url, [{ name: "not-yet", intervalMs: 3_600_000, run: async () => {} }]);
    const { body } = await exposition();
    for (const outcome of ["succeeded", "failed", "skipped"]) {
      expect(body).toContain(`referral_job_runs_total{job="not-yet",outcome="${outcome}"} 0\n`);
    }
    await scheduler.stop();
  });

  it("runs a job on demand and reports failures without throwing", async () => {
    let runs = 0;
    const jobs: Job[] = [
      { name: "count", intervalMs: 3_600_000, run: async () => void runs++ },
      { name: "broken", intervalMs: 3_600_000, run: async () => Promise.reject(new Error("boom")) },
    ];
    const lines: string[] = [];
    const scheduler = startScheduler(db.url, jobs, (line) => lines.push(line));
    expect(await scheduler.runNow("count")).toBe(true);
    expect(runs).toBe(1);
    expect(await scheduler.runNow("broken")).toBe(false);
    expect(lines).toContain("[job broken] failed: boom");
    await scheduler.stop();
  });

  it.skipIf(!usingRealPostgres)("lets one instance at a time run a job", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    let concurrent = 0;
    let maxConcurrent = 0;
    const job = (): Job => ({
      name: "exclusive",
      intervalMs: 3_600_000,
      run: async () => {
        started();
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        await gate;
        concurrent--;
      },
    });
    const a = startScheduler(db.url, [job()], () => {});
    const b = startScheduler(db.url, [job()], () => {});
    const first = a.runNow("exclusive");
    // Only once a holds the job's lock and is inside it; a fixed sleep would race a slow connection.
    await running;
    expect(await b.runNow("exclusive")).toBe(false);
    release();
    expect(await first).toBe(true);
    expect(await b.runNow("exclusive")).toBe(true);
    expect(maxConcurrent).toBe(1);
    await Promise.all([a.stop(), b.stop()]);
  });

  it.skipIf(!usingRealPostgres)("runs a job once per interval however many instances knock", async () => {
    let runs = 0;
    const job = (): Job => ({ name: "periodic", intervalMs: 400, run: async () => void runs++ });
    const instances = [0, 1, 2].map(() => startScheduler(db.url, [job()], () => {}));
    const started = Date.now();
    await new Promise((r) => setTimeout(r, 3_000));
    await Promise.all(instances.map((s) => s.stop()));
    const intervals = (Date.now() - started) / 400;
    // Three instances each knocking every interval would run it about 3 × intervals times.
    expect(runs).toBeGreaterThanOrEqual(Math.floor(intervals) - 2);
    expect(runs).toBeLessThanOrEqual(Math.ceil(intervals / 0.9) + 1);
    const [row] = await db.prisma.jobSchedule.findMany({ where: { name: "periodic" } });
    expect(row!.lastStartedAt.getTime()).toBeGreaterThan(started);
  });
});
