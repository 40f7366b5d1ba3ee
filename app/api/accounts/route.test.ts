import { getAddress } from "viem";
import { describe, expect, it } from "vitest";
import { usingRealPostgres } from "@/lib/testing/db";
import { call } from "@/lib/testing/http";
import { integrationSetup } from "@/lib/testing/integration";
import { POST } from "./route";

const { db, auth } = await integrationSetup();

const create = (body: unknown, headers = auth.operator) =>
  call(POST, { method: "POST", path: "/api/accounts", headers, body });

describe("POST /api/accounts", () => {
  it("creates a user whose id is its referral code (201)", async () => {
    const res = await create({ kind: "user" });
    expect(res.status).toBe(201);
    expect(Object.keys(res.json).sort()).toEqual([
      "createdAt",
      "frozen",
      "frozenReason",
      "id",
      "kind",
      "referralCode",
      "referredBy",
      "walletAddress",
    ]);
    expect(res.json).toMatchObject({
      kind: "user",
      referredBy: null,
      walletAddress: null,
      frozen: false,
      frozenReason: null,
    });
    expect(res.json.id).toMatch(/^usr_[0-9A-Za-z]{20}$/);
    expect(res.json.referralCode).toBe(res.json.id);
    expect(new Date(res.json.createdAt).toISOString()).toBe(res.json.createdAt);
  });

  it("creates a provider with a prov_ id", async () => {
    const res = await create({ kind: "provider" });
    expect(res.status).toBe(201);
    expect(res.json.kind).toBe("provider");
    expect(res.json.id).toMatch(/^prov_[0-9A-Za-z]{20}$/);
  });

  it("applies `referrer` at sign-up and pays the bonus in the same transaction", async () => {
    const referrer = (await create({ kind: "provider" })).json.id;
    const res = await create({ kind: "provider", referrer });
    expect(res.status).toBe(201);
    expect(res.json.referredBy).toBe(referrer);
    const bonus = await db.prisma.ledgerEntry.findUniqueOrThrow({
      where: { sourceEvent_level: { sourceEvent: `referral:${res.json.id}`, level: 1 } },
    });
    expect([bonus.accountId, bonus.kind, bonus.amount.toString()]).toEqual([referrer, "DIRECT_BONUS", "50"]);
  });

  it("creates nothing when the referrer is refused (404 unknown, 400 kind mismatch)", async () => {
    const before = await db.prisma.account.count();
    const unknown = await create({ kind: "user", referrer: "usr_unknown", externalId: "ext-refused-1" });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toBe("Referral code not found");
    const provider = (await create({ kind: "provider" })).json.id;
    const mismatch = await create({ kind: "user", referrer: provider, externalId: "ext-refused-2" });
    expect(mismatch.status).toBe(400);
    expect(mismatch.json.error).toBe("Referral kind mismatch");
    expect(await db.prisma.account.count()).toBe(before + 1);
    expect(await db.prisma.account.count({ where: { externalId: { in: ["ext-refused-1", "ext-refused-2"] } } })).toBe(
      0,
    );
  });

  it("is idempotent on externalId: 200 with the same account", async () => {
    const first = await create({ kind: "user", externalId: "crm-42", email: "Someone@Example.com" });
    expect(first.status).toBe(201);
    const again = await create({ kind: "user", externalId: "crm-42" });
    expect(again.status).toBe(200);
    expect(again.json).toEqual(first.json);
  });

  it("refuses an externalId that belongs to an account of the other kind (409)", async () => {
    expect((await create({ kind: "user", externalId: "crm-kind" })).status).toBe(201);
    const res = await create({ kind: "provider", externalId: "crm-kind" });
    expect(res.status).toBe(409);
  });

  it.skipIf(!usingRealPostgres)("10 parallel creates with one externalId make one account", async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => create({ kind: "user", externalId: "crm-race" })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(9);
    expect(new Set(results.map((r) => r.json.id)).size).toBe(1);
    expect(await db.prisma.account.count({ where: { externalId: "crm-race" } })).toBe(1);
  });

  it("stores a valid wallet address lower-case and refuses an invalid one (400)", async () => {
    const checksummed = "0x52908400098527886E0F7030069857D2E4169EE7";
    const res = await create({ kind: "user", walletAddress: checksummed });
    expect(res.status).toBe(201);
    expect(res.json.walletAddress).toBe(checksummed.toLowerCase());
    for (const walletAddress of ["0x123", "not-an-address", "0x52908400098527886E0F7030069857D2E4169Ee7"]) {
      const bad = await create({ kind: "user", walletAddress });
      expect(bad.status).toBe(400);
      expect(bad.json.message).toContain("walletAddress");
    }
  });

  it("refuses an email or wallet already in use (409) and creates nothing", async () => {
    const wallet = "0x8ba1f109551bd432803012645ac136ddd64dba72";
    expect((await create({ kind: "user", email: "taken@example.com", walletAddress: wallet })).status).toBe(201);
    const before = await db.prisma.account.count();
    const email = await create({ kind: "user", email: "TAKEN@example.com" });
    expect(email.status).toBe(409);
    expect(email.json.message).toContain("email");
    const walletClash = await create({ kind: "user", walletAddress: getAddress(wallet) });
    expect(walletClash.status).toBe(409);
    expect(walletClash.json.message).toContain("wallet");
    expect(await db.prisma.account.count()).toBe(before);
  });

  it.each([
    [{}],
    [{ kind: "admin" }],
    [{ kind: "USER" }],
    [{ kind: "user", email: "nope" }],
    [{ kind: "user", externalId: "" }],
  ])("refuses body %j with 400", async (body) => {
    expect((await create(body)).status).toBe(400);
  });

  it("needs the operator's secret key (403 otherwise)", async () => {
    const user = (await create({ kind: "user" })).json.id;
    expect((await create({ kind: "user" }, {})).status).toBe(403);
    expect((await create({ kind: "user" }, await auth.as(user))).status).toBe(403);
    expect((await create({ kind: "user" }, { "x-api-key": auth.publishableKey })).status).toBe(403);
  });
});
