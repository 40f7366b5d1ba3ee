import { describe, expect, it } from "vitest";
import { programExamples } from "@/lib/programs/schemas";
import { call } from "@/lib/testing/http";
import { integrationSetup } from "@/lib/testing/integration";
import { GET as getVersions } from "./[name]/versions/route";
import { PUT } from "./[name]/route";
import { GET } from "./route";

const { db, auth } = await integrationSetup();

const programs = (headers: Record<string, string> = auth.operator) => call(GET, { path: "/api/programs", headers });
const versions = (name: string) =>
  call(getVersions, { path: `/api/programs/${name}/versions`, params: { name }, headers: auth.operator });
const put = (name: string, body: unknown, headers: Record<string, string> = auth.operator) =>
  call(PUT, { method: "PUT", path: `/api/programs/${name}`, params: { name }, headers, body });

describe("/api/programs", () => {
  it("answers version 1 of both programs with the seeds' rules, decimals as exact JSON numbers", async () => {
    const res = await programs();
    expect(res.status).toBe(200);
    const { rewards, perpetual } = res.json;
    expect(rewards).toMatchObject({
      version: 1,
      directBonus: { user: 25, provider: 50 },
      shares: { user: [15, 8, 4], provider: [10, 5, 2.5] },
      // The seeds' table, which the reference's example shows too.
      usagePoints: programExamples.programs.rewards.usagePoints,
      uptimePointsPerHour: 0.036,
    });
    expect(rewards.rateCard.tiers["mariana-depth"]).toEqual({ perRequest: 0.075, perToken: 0.00015 });
    expect(rewards.rateCard.models["llama3.3:70b"]).toEqual({ tier: "mariana-depth", complexity: 3 });
    expect(perpetual).toEqual({
      version: 1,
      effectiveFrom: expect.any(String),
      feePercent: 1.5,
      referrerPercent: 0.3,
      currencies: ["KES", "NGN", "UGX", "GHS", "ETB", "CDF"],
      cooldownDays: 7,
      holdDays: 0,
      minClaimUsd: 0.000001,
    });
    expect(res.text).toContain('"minClaimUsd":0.000001');
    expect(Number.isNaN(Date.parse(rewards.effectiveFrom))).toBe(false);
  });

  it("is for the operator only", async () => {
    expect((await programs({})).status).toBe(403);
    expect((await programs({ "x-api-key": auth.publishableKey })).status).toBe(403);
    expect((await put("perpetual", { holdDays: 1 }, {})).status).toBe(403);
  });

  it("merges a partial document into a new version, lists it first and audits it", async () => {
    const res = await put("rewards", { shares: { user: [20, 8, 4] } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ version: 2, shares: { user: [20, 8, 4], provider: [10, 5, 2.5] } });
    expect(res.json.directBonus).toEqual({ user: 25, provider: 50 });
    expect((await programs()).json.rewards).toEqual(res.json);

    const list = await versions("rewards");
    expect(list.status).toBe(200);
    expect(list.json.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(list.json.versions[1].shares.user).toEqual([15, 8, 4]);

    const audit = await db.prisma.auditLog.findMany({ where: { action: "program.updated" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: `key:${auth.secretKey.slice(0, 12)}`,
      target: "rewards",
      details: { version: 2, previousVersion: 1, changes: [{ path: "shares.user.0", from: "15", to: "20" }] },
    });
  });

  it("replaces arrays and values, merges nested objects key by key, and takes decimal strings", async () => {
    const res = await put("rewards", {
      rateCard: {
        models: { "tiny-model:1b": { tier: "tide-pool", complexity: "0.25" } },
        latency: { fastBelowMs: 1500 },
      },
      shares: { provider: [12] },
    });
    expect(res.status).toBe(200);
    expect(res.json.version).toBe(3);
    expect(res.json.shares).toEqual({ user: [20, 8, 4], provider: [12] });
    expect(res.json.rateCard.models["tiny-model:1b"]).toEqual({ tier: "tide-pool", complexity: 0.25 });
    expect(res.json.rateCard.models["llama3.3:70b"]).toEqual({ tier: "mariana-depth", complexity: 3 });
    expect(res.json.rateCard.latency).toEqual({
      fastBelowMs: 1500,
      fastMultiplier: 1.1,
      slowAboveMs: 10000,
      slowMultiplier: 0.9,
    });

    const perpetual = await put("perpetual", { holdDays: 3, feePercent: "2", currencies: ["KES", "NGN"] });
    expect(perpetual.status).toBe(200);
    expect(perpetual.json).toMatchObject({ version: 2, feePercent: 2, referrerPercent: 0.3, holdDays: 3 });
    expect(perpetual.json.currencies).toEqual(["KES", "NGN"]);
  });

  it("removes a key given null", async () => {
    const res = await put("rewards", { rateCard: { models: { "tiny-model:1b": null } } });
    expect(res.status).toBe(200);
    expect(res.json.rateCard.models["tiny-model:1b"]).toBeUndefined();
  });

  it.each([
    ["rewards", { shares: { user: [101, 0, 0] } }, "body.shares.user.0: must be between 0 and 100"],
    ["rewards", { shares: { user: [-1] } }, "body.shares.user.0: must be between 0 and 100"],
    ["rewards", { shares: { user: [50, 40, 20] } }, "body.shares.user: the levels sum to 110; at most 100"],
    ["rewards", { shares: { provider: [1, 1, 1, 1] } }, "body.shares.provider: at most 3 levels"],
    ["rewards", { shares: { user: ["abc"] } }, "body.shares.user.0: must be a number or a decimal string"],
    ["rewards", { shares: { user: "15" } }, "body.shares.user"],
    ["rewards", { directBonus: { user: "1e3" } }, "body.directBonus.user"],
    ["rewards", { directBonus: { user: null } }, "body.directBonus.user"],
    [
      "rewards",
      { usagePoints: { "/chat/completions": { perToken: -0.001 } } },
      "body.usagePoints./chat/completions.perToken",
    ],
    ["rewards", { usagePoints: { "/images": { base: 1, perToken: 0 } } }, "/images"],
    [
      "rewards",
      { rateCard: { models: { "new:7b": { tier: "deep-trench", complexity: 1 } } } },
      'body.rateCard.models.new:7b.tier: no tier named "deep-trench"',
    ],
    ["rewards", { rateCard: { serviceMultiplier: { other: null } } }, "body.rateCard.serviceMultiplier"],
    ["rewards", { uptimePointsPerHour: 1e30 }, "body.uptimePointsPerHour"],
    ["rewards", { surprise: 1 }, "surprise"],
    ["perpetual", { referrerPercent: 5 }, "body.referrerPercent: must be at most feePercent"],
    ["perpetual", { feePercent: 0.2 }, "body.referrerPercent: must be at most feePercent"],
    ["perpetual", { currencies: ["KES", "USD"] }, "body.currencies.1"],
    ["perpetual", { currencies: ["KES", "KES"] }, "body.currencies"],
    ["perpetual", { currencies: [] }, "body.currencies"],
    ["perpetual", { cooldownDays: 1.5 }, "body.cooldownDays"],
    ["perpetual", { holdDays: -1 }, "body.holdDays"],
    ["perpetual", { minClaimUsd: 0 }, "body.minClaimUsd"],
    ["perpetual", { minClaimUsd: "0.0000001" }, "body.minClaimUsd"],
    ["perpetual", { feePercent: 1.23456 }, "body.feePercent: may have at most 3 decimal places"],
  ])(
    "refuses an invalid %s change with 400 naming the field (%j), and changes nothing",
    async (name, body, message) => {
      const before = await versions(name);
      const audits = await db.prisma.auditLog.count();
      const res = await put(name, body);
      expect(res.status).toBe(400);
      expect(res.json.code).toBe("invalid_request");
      expect(res.json.message).toContain(message);
      expect((await versions(name)).json).toEqual(before.json);
      expect(await db.prisma.auditLog.count()).toBe(audits);
    },
  );

  it("refuses a body that is not an object", async () => {
    for (const body of [[1, 2], "text", 5]) {
      const res = await put("rewards", body);
      expect(res.status).toBe(400);
      expect(res.json.message).toMatch(/^body/);
    }
  });

  it("answers 404 for an unknown program", async () => {
    const res = await put("loyalty", { feePercent: 1 });
    expect(res.status).toBe(404);
    expect(res.json.code).toBe("not_found");
    expect((await versions("loyalty")).status).toBe(404);
  });

  it("numbers concurrent changes one after the other, none lost", async () => {
    const start = (await versions("perpetual")).json.versions[0].version;
    const results = await Promise.all([1, 2, 3, 4, 5].map((d) => put("perpetual", { cooldownDays: d })));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(results.map((r) => r.json.version).sort()).toEqual([1, 2, 3, 4, 5].map((d) => start + d));
    expect((await versions("perpetual")).json.versions).toHaveLength(start + 5);
  });

  it("the database refuses to edit or delete a version", async () => {
    await expect(db.prisma.$executeRaw`UPDATE program_version SET created_by = 'x'`).rejects.toThrow(/append-only/);
    await expect(db.prisma.$executeRaw`DELETE FROM program_version`).rejects.toThrow(/append-only/);
  });
});
