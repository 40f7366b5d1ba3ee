import { describe, expect, it } from "vitest";
import { POST as postCompute } from "@/app/api/events/compute/route";
import { createAccountAsOperator } from "@/lib/testing/accounts";
import { call } from "@/lib/testing/http";
import { integrationSetup } from "@/lib/testing/integration";
import { GET } from "./route";

const { auth } = await integrationSetup();

const newAccount = (kind: "user" | "provider", referrer?: string) => createAccountAsOperator(auth, { kind, referrer });

const stats = (providerId: string, headers: Record<string, string> = auth.operator) =>
  call(GET, { path: `/api/providers/${providerId}/referral-stats`, params: { providerId }, headers });

describe("GET /api/providers/{providerId}/referral-stats", () => {
  it("shows compute earnings as base, the 50-point bonus and 10/5/2.5 % shares", async () => {
    const p1 = await newAccount("provider");
    const p2 = await newAccount("provider", p1);
    const p3 = await newAccount("provider", p2);
    const p4 = await newAccount("provider", p3);
    const compute = (eventId: string, providerId: string) =>
      call(postCompute, {
        path: "/api/events/compute",
        headers: auth.operator,
        // unknown model, chat: 10 × 0.015 + 1000 × 0.00003 = 0.18
        body: {
          eventId,
          providerId,
          tokensGenerated: 1000,
          requests: 10,
          uptimeSeconds: 0,
          endpoint: "/chat/completions",
        },
      });
    expect((await compute("e1", p4)).status).toBe(200);
    expect((await compute("e2", p1)).status).toBe(200);

    const res = await stats(p1);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ accountId: p1, kind: "provider", referralCode: p1, referredBy: null });
    expect(res.json.network).toEqual({ direct: 1, secondary: 1, tertiary: 1, total: 3 });
    expect(res.json.earnings).toEqual({
      base: 0.18,
      directBonus: 50,
      level1: 0,
      level2: 0,
      level3: 0.0045,
      adjustments: 0,
      total: 50.1845,
    });
    expect(res.json.metrics).toEqual({
      earnings30d: 50.1845,
      activeReferrals30d: 1,
      topReferrals: [{ accountId: p4, level: 3, earned: 0.0045 }],
    });
    expect((await stats(p3)).json.earnings).toMatchObject({ base: 0, directBonus: 50, level1: 0.018 });
    expect((await stats(p4, await auth.as(p4))).status).toBe(200);
    expect((await stats(p1, await auth.as(p4))).status).toBe(403);
  });

  it("answers 404 for a user id and for an unknown id", async () => {
    const user = await newAccount("user");
    const res = await stats(user);
    expect(res.status).toBe(404);
    expect(res.json.error).toBe("Provider not found");
    expect((await stats("prov_unknown")).status).toBe(404);
  });
});
