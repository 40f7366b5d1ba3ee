import { describe, expect, it } from "vitest";
import { POST as postUsage } from "@/app/api/events/usage/route";
import { POST as postTransactions } from "@/app/api/events/transactions/route";
import { createAccountAsOperator } from "@/lib/testing/accounts";
import { call } from "@/lib/testing/http";
import { integrationSetup } from "@/lib/testing/integration";
import { GET } from "./route";

const { auth } = await integrationSetup();

/** The value of one sample in the exposition (0 when absent). */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.split(" ")[1]) : 0;
}

async function scrape(): Promise<string> {
  const res = await call(GET, { path: "/api/metrics", headers: auth.operator });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text;
}

describe("GET /api/metrics", () => {
  it("exposes the request histogram, the domain counters, the pools and the process's own metrics", async () => {
    const text = await scrape();
    for (const name of [
      "http_request_duration_seconds",
      "referral_events_total",
      "referral_ledger_rows_total",
      "referral_claims_total",
      "referral_webhook_deliveries_total",
      "referral_job_runs_total",
      "db_pool_connections",
      "process_cpu_user_seconds_total",
      "process_resident_memory_bytes",
      "nodejs_eventloop_lag_seconds",
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });

  it("shows every series known in advance from the start, at 0 until it counts", async () => {
    const text = await scrape();
    for (const series of [
      ...["usage", "compute", "transaction"].map((kind) => `referral_events_total{kind="${kind}"}`),
      ...["PENDING", "COMPLETED", "FAILED"].map((status) => `referral_claims_total{status="${status}"}`),
      ...["succeeded", "retrying", "failed", "superseded"].map(
        (outcome) => `referral_webhook_deliveries_total{outcome="${outcome}"}`,
      ),
    ]) {
      expect(text).toMatch(new RegExp(`^${series.replace(/[{}]/g, "\\$&")} \\d+$`, "m"));
    }
  });

  it("counts events and ledger rows as they are recorded, replays not", async () => {
    const before = await scrape();
    const referrer = await createAccountAsOperator(auth, { kind: "user" });
    const user = await createAccountAsOperator(auth, { kind: "user", referrer });
    const usage = { requestId: "metrics-usage-1", userId: user, endpoint: "/scrape" };
    for (let i = 0; i < 2; i++) {
      expect((await call(postUsage, { path: "/api/events/usage", headers: auth.operator, body: usage })).status).toBe(
        200,
      );
    }
    const tx = { orderId: "metrics-order-1", userId: user, type: "pay", amount: 1000, currency: "KES" };
    expect(
      (await call(postTransactions, { path: "/api/events/transactions", headers: auth.operator, body: tx })).status,
    ).toBe(200);
    const after = await scrape();
    const delta = (series: string) => sample(after, series) - sample(before, series);
    expect(delta('referral_events_total{kind="usage"}')).toBe(1);
    expect(delta('referral_events_total{kind="transaction"}')).toBe(1);
    // The direct bonus, then the usage event's base and its level 1 share.
    expect(delta("referral_ledger_rows_total")).toBe(3);
    expect(delta('http_request_duration_seconds_count{method="POST",route="/api/events/usage",status="200"}')).toBe(2);
    // The routes used the app's primary pool: its gauges report it.
    expect(after).toMatch(/^db_pool_connections\{pool="primary"\} [1-9]\d*$/m);
  });
});
