// Freezes end to end: the routes, the audit entries and webhook events they write, and claims refused (or failed
// before signing) on a real PostgreSQL and a local anvil chain.
import { describe, expect, it } from "vitest";
import { listAuditLog } from "@/lib/audit/log";
import { createAccount } from "@/lib/referrals/accounts";
import { FROZEN_BEFORE_SIGNING } from "@/lib/risk/freeze";
import { addFees, payoutChainSetup, referrerWithFees } from "@/lib/testing/fees";
import { usingRealPostgres } from "@/lib/testing/db";
import { call } from "@/lib/testing/http";
import { integrationSetup } from "@/lib/testing/integration";
import { GET as balanceRoute } from "../../../referral-fees/balance/route";
import { POST as claimRoute } from "../../../referral-fees/claim/route";
import { GET as meRoute } from "../../../user/me/route";
import { POST as unfreezeRoute } from "../unfreeze/route";
import { POST as freezeRoute } from "./route";

const { db, auth } = await integrationSetup();
await payoutChainSetup(db.prisma, { KES: "0.0077", NGN: "0.00063" });

const freeze = (id: string, body: unknown, headers: Record<string, string> = auth.operator) =>
  call(freezeRoute, { method: "POST", path: `/api/accounts/${id}/freeze`, params: { id }, headers, body });
const unfreeze = (id: string, headers: Record<string, string> = auth.operator) =>
  call(unfreezeRoute, { method: "POST", path: `/api/accounts/${id}/unfreeze`, params: { id }, headers });
const claim = async (accountId: string) =>
  call(claimRoute, { method: "POST", path: "/api/referral-fees/claim", headers: await auth.as(accountId) });
const balance = async (accountId: string) =>
  (await call(balanceRoute, { path: "/api/referral-fees/balance", headers: await auth.as(accountId) })).json;
const actor = `key:${auth.secretKey.slice(0, 12)}`;

describe("POST /api/accounts/{id}/freeze and /unfreeze", () => {
  it("freezes: the account says so, claims are refused with 403 and record nothing, earning goes on", async () => {
    const { referrerId, referredId } = await referrerWithFees(db.prisma, [{ amount: "50000", currency: "KES" }]);

    const res = await freeze(referrerId, { reason: "Chargebacks under review" });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      id: referrerId,
      kind: "user",
      referralCode: referrerId,
      referredBy: null,
      walletAddress: expect.any(String),
      createdAt: expect.any(String),
      frozen: true,
      frozenReason: "Chargebacks under review",
    });
    const me = await call(meRoute, { path: "/api/user/me", headers: await auth.as(referrerId) });
    expect(me.json).toMatchObject({ frozen: true, frozenReason: "Chargebacks under review" });

    const refused = await claim(referrerId);
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({ error: "Account frozen", code: "account_frozen" });
    expect(await db.prisma.claim.count({ where: { accountId: referrerId } })).toBe(0);
    expect(await balance(referrerId)).toMatchObject({ canClaim: false, frozen: true, entryCount: 1, totalUsd: 1.155 });

    // It keeps earning while frozen.
    await addFees(db.prisma, referredId, [{ amount: "200000", currency: "NGN" }]);
    expect(await balance(referrerId)).toMatchObject({ entryCount: 2, totalUsd: 1.533, canClaim: false });

    const thawed = await unfreeze(referrerId);
    expect(thawed.status).toBe(200);
    expect(thawed.json).toMatchObject({ id: referrerId, frozen: false, frozenReason: null });
    expect(await balance(referrerId)).toMatchObject({ canClaim: true, frozen: false });
    const paid = await claim(referrerId);
    expect(paid.json).toMatchObject({ status: "COMPLETED", amountUsd: 1.533 });
  });

  it("audits both actions in their own transaction and emits account.frozen", async () => {
    const { account } = await createAccount(db.prisma, { kind: "provider" });
    await freeze(account.id, { reason: "Farmed compute" });
    await unfreeze(account.id);

    const { entries } = await listAuditLog(db.prisma, { target: account.id });
    expect(entries.map((e) => [e.action, e.actor, e.details])).toEqual([
      ["account.unfrozen", actor, { previousReason: "Farmed compute" }],
      ["account.frozen", actor, { reason: "Farmed compute" }],
    ]);
    const events = await db.prisma.webhookEvent.findMany({ where: { type: "account.frozen" } });
    expect(events.map((e) => e.data)).toContainEqual({ accountId: account.id, reason: "Farmed compute" });
  });

  it("changes nothing when repeated, and records only a changed reason", async () => {
    const { account } = await createAccount(db.prisma, { kind: "user" });
    await freeze(account.id, { reason: "First look" });
    await freeze(account.id, { reason: "First look" });
    const changed = await freeze(account.id, { reason: "Second look" });
    expect(changed.json).toMatchObject({ frozen: true, frozenReason: "Second look" });
    await unfreeze(account.id);
    expect((await unfreeze(account.id)).json).toMatchObject({ frozen: false });

    const { entries } = await listAuditLog(db.prisma, { target: account.id });
    expect(entries.map((e) => e.action)).toEqual(["account.unfrozen", "account.frozen", "account.frozen"]);
    const events = await db.prisma.webhookEvent.findMany({ where: { type: "account.frozen" } });
    expect(events.filter((e) => (e.data as { accountId: string }).accountId === account.id)).toHaveLength(1);
  });

  it("refuses an unknown account (404), a missing or empty reason (400 naming it), and a non-operator (403)", async () => {
    expect((await freeze("usr_missing", { reason: "x" })).status).toBe(404);
    expect((await unfreeze("usr_missing")).status).toBe(404);
    const { account } = await createAccount(db.prisma, { kind: "user" });
    for (const body of [{}, { reason: "" }, { reason: "   " }, { reason: 7 }, { reason: "a\u0000b" }]) {
      const res = await freeze(account.id, body);
      expect(res.status).toBe(400);
      expect(res.json.message).toContain("body.reason");
    }
    expect((await freeze(account.id, { reason: "mine" }, await auth.as(account.id))).status).toBe(403);
    expect((await unfreeze(account.id, await auth.as(account.id))).status).toBe(403);
    expect((await freeze(account.id, { reason: "mine" }, {})).status).toBe(403);

    const row = await db.prisma.account.findUniqueOrThrow({ where: { id: account.id } });
    expect(row).toMatchObject({ frozenAt: null, frozenReason: null });
    expect((await listAuditLog(db.prisma, { target: account.id })).entries).toEqual([]);
  });

  it.skipIf(!usingRealPostgres)(
    "a freeze racing a claim: once the freeze commits no unsigned claim is left, so none completes after it",
    async () => {
      const outcomes = { refused: 0, completedBefore: 0, failedByFreeze: 0 };
      for (let round = 0; round < 30; round++) {
        const { referrerId } = await referrerWithFees(db.prisma, [{ amount: "50000", currency: "KES" }]);
        const headers = await auth.as(referrerId);
        const claiming = call(claimRoute, { method: "POST", path: "/api/referral-fees/claim", headers });
        await new Promise((resolve) => setTimeout(resolve, round % 10));
        const frozen = await freeze(referrerId, { reason: `race ${round}` });
        expect(frozen.status).toBe(200);
        // At the freeze's commit every claim of the account is settled, failed, or already signed: an unsigned
        // PENDING claim (the only kind that could still be paid for the first time) cannot exist, nor appear later.
        expect(
          await db.prisma.claim.count({ where: { accountId: referrerId, status: "PENDING", transactionHash: null } }),
        ).toBe(0);
        const signedAtFreeze = await db.prisma.claim.findMany({
          where: { accountId: referrerId, transactionHash: { not: null }, status: { not: "FAILED" } },
          select: { id: true },
        });

        const res = await claiming;
        const claims = await db.prisma.claim.findMany({ where: { accountId: referrerId } });
        if (res.status === 403) {
          expect(res.json.error).toBe("Account frozen");
          expect(claims).toEqual([]);
          outcomes.refused++;
        } else {
          expect(res.status).toBe(200);
          expect(claims).toHaveLength(1);
          const [only] = claims;
          if (only!.status === "COMPLETED") {
            expect(signedAtFreeze.map((c) => c.id)).toEqual([only!.id]);
            outcomes.completedBefore++;
          } else {
            expect(only).toMatchObject({ status: "FAILED", failureReason: FROZEN_BEFORE_SIGNING });
            expect(await balance(referrerId)).toMatchObject({ entryCount: 1, canClaim: false });
            outcomes.failedByFreeze++;
          }
        }
        expect((await claim(referrerId)).status).toBe(403);
      }
      expect(outcomes.refused + outcomes.completedBefore + outcomes.failedByFreeze).toBe(30);
      console.info("freeze vs claim outcomes", outcomes);
    },
    120_000,
  );
});
