import { describe, expect, it } from "vitest";
import { POST as createAccount } from "@/app/api/accounts/route";
import { call } from "@/lib/testing/http";
import { integrationSetup } from "@/lib/testing/integration";
import { GET } from "./route";

const { auth } = await integrationSetup();

describe("GET /api/user/me", () => {
  it("returns the caller's account in the same shape as POST /api/accounts", async () => {
    const referrer = await call(createAccount, {
      path: "/api/accounts",
      headers: auth.operator,
      body: { kind: "user" },
    });
    const created = await call(createAccount, {
      path: "/api/accounts",
      headers: auth.operator,
      body: { kind: "user", referrer: referrer.json.id, walletAddress: "0x8ba1f109551bD432803012645Ac136ddd64DBA72" },
    });
    const res = await call(GET, { path: "/api/user/me", headers: await auth.as(created.json.id) });
    expect(res.status).toBe(200);
    expect(res.json).toEqual(created.json);
    expect(res.json).toMatchObject({ referralCode: created.json.id, referredBy: referrer.json.id, kind: "user" });
  });

  it("answers 404 for a valid token naming no account, 401 without a token, 403 for a secret key alone", async () => {
    expect((await call(GET, { path: "/api/user/me", headers: await auth.as("usr_gone") })).status).toBe(404);
    expect((await call(GET, { path: "/api/user/me" })).status).toBe(401);
    expect((await call(GET, { path: "/api/user/me", headers: auth.operator })).status).toBe(403);
  });
});
