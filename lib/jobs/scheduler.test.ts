import { describe, expect, it } from "vitest";
import { usingRealPostgres } from "@/lib/testing/db";
import { integrationSetup } from "@/lib/testing/integration";
import { startScheduler, type Job } from "./scheduler";

const { db } = await integrationSetup();

describe("scheduler", () => {
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
});
