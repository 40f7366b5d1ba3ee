// Risk signals raised where things happen, on a real database: wallets shared now or in the past, a code applied
// in a burst, automatic freezes, and the review queue's routes.
import { afterEach, describe, expect, it } from "vitest";
import { GET as listRoute } from "@/app/api/review/signals/route";
import { POST as resolveRoute } from "@/app/api/review/signals/[id]/resolve/route";
import { listAuditLog } from "@/lib/audit/log";
import type { OperatorCaller } from "@/lib/auth/caller";
import { replaceWalletByOperator } from "@/lib/auth/wallet";
import { applyReferral, applyReferralInTransaction, graphTransaction } from "@/lib/referrals/apply";
import { createAccount } from "@/lib/referrals/accounts";
import { newWalletAddress } from "@/lib/testing/fees";
import { call } from "@/lib/testing/http";
import { integrationSetup } from "@/lib/testing/integration";
import { signalSettings } from "./signals";

const { db, auth } = await integrationSetup();
const operator: OperatorCaller = { type: "operator", keyId: "test", keyPrefix: auth.secretKey.slice(0, 12) };

afterEach(() => {
  delete process.env.SIGNAL_CODE_BURST_PER_HOUR;
  delete process.env.SIGNALS_AUTO_FREEZE;
});

const signalsOf = (accountId: string) =>
  db.prisma.riskSignal.findMany({ where: { accountId }, orderBy: { createdAt: "asc" } });
const list = (query: Record<string, string> = {}, headers: Record<string, string> = auth.operator) =>
  call(listRoute, { path: `/api/review/signals?${new URLSearchParams(query)}`, headers });
const resolve = (id: string, body: unknown, headers: Record<string, string> = auth.operator) =>
  call(resolveRoute, {
    method: "POST",
    path: `/api/review/signals/${id}/resolve`,
    params: { id },
    headers,
    body,
  });

describe("wallet signals", () => {
  it("raises wallet_reused when an account gets a wallet another account had, even one since replaced", async () => {
    const wallet = newWalletAddress();
    const { account: first } = await createAccount(db.prisma, { kind: "user", walletAddress: wallet });
    await replaceWalletByOperator(db.prisma, operator, first.id, newWalletAddress());
    expect(await signalsOf(first.id)).toEqual([]);

    const { account: second } = await createAccount(db.prisma, { kind: "user", walletAddress: wallet });
    const [signal, ...more] = await signalsOf(second.id);
    expect(more).toEqual([]);
    expect(signal).toMatchObject({
      kind: "wallet_reused",
      subject: `wallet:${wallet}`,
      status: "OPEN",
      details: { address: wallet, otherAccountIds: [first.id] },
    });

    // Raised once per wallet: linking it again (away and back) adds nothing.
    await replaceWalletByOperator(db.prisma, operator, second.id, newWalletAddress());
    await replaceWalletByOperator(db.prisma, operator, second.id, wallet);
    expect(await signalsOf(second.id)).toHaveLength(1);
  });

  it("raises wallet_matches_referrer on the referrer when a referral is created with the referrer's old wallet", async () => {
    const wallet = newWalletAddress();
    const { account: referrer } = await createAccount(db.prisma, { kind: "user", walletAddress: wallet });
    await replaceWalletByOperator(db.prisma, operator, referrer.id, newWalletAddress());
    const { account: referred } = await createAccount(db.prisma, {
      kind: "user",
      walletAddress: wallet,
      referrer: referrer.id,
    });

    expect(await signalsOf(referrer.id)).toEqual([
      expect.objectContaining({
        kind: "wallet_matches_referrer",
        subject: `referral:${referred.id}`,
        details: { referredId: referred.id, address: wallet },
      }),
    ]);
    expect((await signalsOf(referred.id)).map((s) => s.kind)).toEqual(["wallet_reused"]);
  });

  it("raises wallet_matches_referrer when the referred account links the referrer's wallet later", async () => {
    const wallet = newWalletAddress();
    const { account: referrer } = await createAccount(db.prisma, { kind: "user", walletAddress: wallet });
    const { account: referred } = await createAccount(db.prisma, { kind: "user" });
    await applyReferral(db.prisma, referred.id, referrer.id);
    expect(await signalsOf(referrer.id)).toEqual([]);
    await replaceWalletByOperator(db.prisma, operator, referrer.id, newWalletAddress());
    await replaceWalletByOperator(db.prisma, operator, referred.id, wallet);
    expect((await signalsOf(referrer.id)).map((s) => s.kind)).toEqual(["wallet_matches_referrer"]);
  });

  it("raises nothing for distinct wallets", async () => {
    const { account: referrer } = await createAccount(db.prisma, { kind: "user", walletAddress: newWalletAddress() });
    const { account: referred } = await createAccount(db.prisma, {
      kind: "user",
      walletAddress: newWalletAddress(),
      referrer: referrer.id,
    });
    expect(await signalsOf(referrer.id)).toEqual([]);
    expect(await signalsOf(referred.id)).toEqual([]);
  });
});

describe("code_burst", () => {
  it("raises when a code is applied more than SIGNAL_CODE_BURST_PER_HOUR times within an hour, once per hour", async () => {
    process.env.SIGNAL_CODE_BURST_PER_HOUR = "3";
    const { account: referrer } = await createAccount(db.prisma, { kind: "user" });
    for (let i = 0; i < 3; i++) await createAccount(db.prisma, { kind: "user", referrer: referrer.id });
    expect(await signalsOf(referrer.id)).toEqual([]);
    await createAccount(db.prisma, { kind: "user", referrer: referrer.id });
    expect(await signalsOf(referrer.id)).toHaveLength(1);
    await createAccount(db.prisma, { kind: "user", referrer: referrer.id });
    const signals = await signalsOf(referrer.id);
    expect(signals).toHaveLength(1);
    expect(signals[0]).toMatchObject({ kind: "code_burst", details: { code: referrer.id, threshold: 3 } });
  });

  it("counts only the hour before the referral: applications spread over a day raise nothing", async () => {
    process.env.SIGNAL_CODE_BURST_PER_HOUR = "3";
    const { account: referrer } = await createAccount(db.prisma, { kind: "user" });
    const start = Date.now() - 24 * 3600_000;
    for (let i = 0; i < 6; i++) {
      const at = new Date(start + i * 2 * 3600_000);
      const { account } = await createAccount(db.prisma, { kind: "user" }, { now: at });
      await graphTransaction(db.prisma, (tx) => applyReferralInTransaction(tx, account.id, referrer.id, at));
    }
    expect(await signalsOf(referrer.id)).toEqual([]);
  });
});

describe("SIGNALS_AUTO_FREEZE", () => {
  it("freezes the account a listed signal is about, audited as the engine, in the same transaction", async () => {
    process.env.SIGNAL_CODE_BURST_PER_HOUR = "1";
    process.env.SIGNALS_AUTO_FREEZE = "wallet_reused, code_burst";
    const { account: referrer } = await createAccount(db.prisma, { kind: "user" });
    await createAccount(db.prisma, { kind: "user", referrer: referrer.id });
    await createAccount(db.prisma, { kind: "user", referrer: referrer.id });

    const row = await db.prisma.account.findUniqueOrThrow({ where: { id: referrer.id } });
    expect(row.frozenAt).not.toBeNull();
    expect(row.frozenReason).toMatch(/^Automatic: /);
    const [signal] = await signalsOf(referrer.id);
    const { entries } = await listAuditLog(db.prisma, { target: referrer.id });
    expect(entries).toEqual([
      expect.objectContaining({
        actor: "system:signals",
        action: "account.frozen",
        details: { reason: row.frozenReason, signalId: signal!.id, signal: "code_burst" },
      }),
    ]);
  });

  it("leaves accounts unfrozen for kinds not listed", async () => {
    process.env.SIGNALS_AUTO_FREEZE = "mostly_reversed";
    const wallet = newWalletAddress();
    const { account: first } = await createAccount(db.prisma, { kind: "user", walletAddress: wallet });
    await replaceWalletByOperator(db.prisma, operator, first.id, newWalletAddress());
    const { account: second } = await createAccount(db.prisma, { kind: "user", walletAddress: wallet });
    expect(await signalsOf(second.id)).toHaveLength(1);
    expect((await db.prisma.account.findUniqueOrThrow({ where: { id: second.id } })).frozenAt).toBeNull();
  });

  it("refuses settings it cannot read, naming them", () => {
    expect(() => signalSettings({ SIGNALS_AUTO_FREEZE: "wallet_reused,bogus" })).toThrow(/SIGNALS_AUTO_FREEZE.*bogus/);
    expect(() => signalSettings({ SIGNAL_CODE_BURST_PER_HOUR: "0" })).toThrow(/SIGNAL_CODE_BURST_PER_HOUR/);
    expect(() => signalSettings({ SIGNAL_CODE_BURST_PER_HOUR: "2.5" })).toThrow(/SIGNAL_CODE_BURST_PER_HOUR/);
    expect(signalSettings({})).toEqual({ codeBurstPerHour: 20, autoFreeze: new Set() });
  });
});

describe("GET /api/review/signals and POST /api/review/signals/{id}/resolve", () => {
  it("lists open signals newest first in pages, resolves one (audited), then lists it as resolved", async () => {
    const accountIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const wallet = newWalletAddress();
      const { account: first } = await createAccount(db.prisma, { kind: "user", walletAddress: wallet });
      await replaceWalletByOperator(db.prisma, operator, first.id, newWalletAddress());
      const { account } = await createAccount(db.prisma, { kind: "user", walletAddress: wallet });
      accountIds.push(account.id);
    }
    const first = await list({ limit: "2" });
    expect(first.status).toBe(200);
    expect(first.json.signals).toHaveLength(2);
    expect(first.json.nextCursor).toEqual(expect.any(String));
    const second = await list({ limit: "2", cursor: first.json.nextCursor });
    const all = [...first.json.signals, ...second.json.signals];
    expect(new Set(all.map((s: { id: string }) => s.id)).size).toBe(all.length);
    const dates = all.map((s: { createdAt: string }) => s.createdAt);
    expect(dates).toEqual([...dates].sort().reverse());

    const mine = await list({ accountId: accountIds[0]! });
    expect(mine.json.signals).toEqual([
      {
        id: expect.any(String),
        kind: "wallet_reused",
        description: expect.any(String),
        accountId: accountIds[0],
        subject: expect.stringMatching(/^wallet:0x/),
        details: expect.objectContaining({ otherAccountIds: [expect.any(String)] }),
        status: "open",
        createdAt: expect.any(String),
        resolvedAt: null,
        resolvedBy: null,
        resolution: null,
      },
    ]);
    const id = mine.json.signals[0].id;
    const resolved = await resolve(id, { resolution: "Same household; not abuse" });
    expect(resolved.status).toBe(200);
    expect(resolved.json).toMatchObject({
      id,
      status: "resolved",
      resolution: "Same household; not abuse",
      resolvedBy: `key:${auth.secretKey.slice(0, 12)}`,
    });
    // Again: nothing changes, nothing more is recorded.
    expect((await resolve(id, { resolution: "Another note" })).json.resolution).toBe("Same household; not abuse");
    const { entries } = await listAuditLog(db.prisma, { target: id });
    expect(entries.map((e) => [e.action, e.details])).toEqual([
      ["signal.resolved", { kind: "wallet_reused", accountId: accountIds[0], resolution: "Same household; not abuse" }],
    ]);

    expect((await list({ accountId: accountIds[0]! })).json.signals).toEqual([]);
    expect((await list({ accountId: accountIds[0]!, status: "resolved" })).json.signals).toHaveLength(1);
    expect((await list({ accountId: accountIds[0]!, status: "all" })).json.signals).toHaveLength(1);
  });

  it("refuses bad input with 400 naming the field, unknown signals with 404, and anyone but the operator", async () => {
    expect((await list({ cursor: "bogus" })).status).toBe(400);
    const badStatus = await list({ status: "closed" });
    expect(badStatus.status).toBe(400);
    expect(badStatus.json.message).toContain("query.status");
    expect((await list({ limit: "0" })).json.message).toContain("query.limit");
    expect((await resolve("not-a-uuid", { resolution: "x" })).status).toBe(404);
    expect((await resolve("00000000-0000-4000-8000-000000000000", { resolution: "x" })).status).toBe(404);
    for (const body of [{}, { resolution: "  " }, { resolution: 3 }]) {
      const res = await resolve("00000000-0000-4000-8000-000000000000", body);
      expect(res.status).toBe(400);
      expect(res.json.message).toContain("body.resolution");
    }
    const { account } = await createAccount(db.prisma, { kind: "user" });
    const user = await auth.as(account.id);
    expect((await list({}, user)).status).toBe(403);
    expect((await resolve("00000000-0000-4000-8000-000000000000", { resolution: "x" }, user)).status).toBe(403);
  });
});
