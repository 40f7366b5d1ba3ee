import { describe, expect, it } from "vitest";
import { backgroundJobs } from "./background";

describe("background jobs", () => {
  it("runs the rate refresh and the claim reconciler only where they are configured", () => {
    expect(backgroundJobs({}).map((j) => j.name)).toEqual(["ledger-compact"]);
    const all = backgroundJobs({
      FX_SOURCE_URL: "http://127.0.0.1:1/rates",
      FX_REFRESH_SECONDS: "600",
      PAYOUT_PRIVATE_KEY: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
      CLAIMS_RECONCILE_SECONDS: "30",
    });
    expect(all.map((j) => [j.name, j.intervalMs])).toEqual([
      ["fx-refresh", 600_000],
      ["claims-reconcile", 30_000],
      ["ledger-compact", 86_400_000],
    ]);
  });
});
