import { beforeAll, describe, expect, it } from "vitest";
import { verifyUserToken } from "@/lib/auth/tokens";
import { call } from "@/lib/testing/http";
import { integrationSetup } from "@/lib/testing/integration";
import { POST } from "./route";

const { db, auth } = await integrationSetup();

beforeAll(async () => {
  await db.prisma.account.create({ data: { id: "usr_tokenholder", kind: "USER" } });
});
describe("POST /api/auth/token", () => {
  it("mints a verifiable HS256 JWS for an account, with its expiry", async () => {
    const res = await call(POST, {
      path: "/api/auth/token",
      headers: auth.operator,
      body: { accountId: "usr_tokenholder" },
    });
    expect(res.status).toBe(200);
    expect(res.json.token.split(".")).toHaveLength(3);
    expect(JSON.parse(Buffer.from(res.json.token.split(".")[0], "base64url").toString())).toMatchObject({
      alg: "HS256",
    });
    expect(new Date(res.json.expiresAt).toISOString()).toBe(res.json.expiresAt);
    expect(new Date(res.json.expiresAt).getTime()).toBeGreaterThan(Date.now() + 3500 * 1000);
    expect(await verifyUserToken(res.json.token)).toBe("usr_tokenholder");
  });

  it("answers 404 for an unknown account and 400 for a bad body", async () => {
    const unknown = await call(POST, {
      path: "/api/auth/token",
      headers: auth.operator,
      body: { accountId: "usr_nobody" },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toBe("Account not found");
    const bad = await call(POST, { path: "/api/auth/token", headers: auth.operator, body: { accountId: 42 } });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain("body.accountId");
  });

  it("is for the operator's secret key only", async () => {
    const body = { accountId: "usr_tokenholder" };
    expect((await call(POST, { path: "/api/auth/token", body })).status).toBe(403);
    expect(
      (await call(POST, { path: "/api/auth/token", headers: { "x-api-key": auth.publishableKey }, body })).status,
    ).toBe(403);
    expect(
      (await call(POST, { path: "/api/auth/token", headers: await auth.as("usr_tokenholder"), body })).status,
    ).toBe(403);
  });
});
