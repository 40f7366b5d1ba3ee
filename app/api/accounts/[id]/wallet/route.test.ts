import { describe, expect, it } from "vitest";
import { listAuditLog } from "@/lib/audit/log";
import { createAccount } from "@/lib/referrals/accounts";
import { newWalletAddress } from "@/lib/testing/fees";
import { call } from "@/lib/testing/http";
import { integrationSetup } from "@/lib/testing/integration";
import { PUT } from "./route";

const { db, auth } = await integrationSetup();

const replace = (id: string, body: unknown, headers: Record<string, string> = auth.operator) =>
  call(PUT, { method: "PUT", path: `/api/accounts/${id}/wallet`, params: { id }, headers, body });

describe("PUT /api/accounts/{id}/wallet", () => {
  it("replaces the wallet, answers the account, audits it in the same transaction and starts the claim hold", async () => {
    const before = newWalletAddress();
    const { account } = await createAccount(db.prisma, { kind: "user", walletAddress: before });
    const after = newWalletAddress();

    const res = await replace(account.id, { address: after.toUpperCase().replace("0X", "0x") });

    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: account.id, kind: "user", walletAddress: after });
    const row = await db.prisma.account.findUniqueOrThrow({ where: { id: account.id } });
    expect(row.walletChangedAt).not.toBeNull();
    const { entries } = await listAuditLog(db.prisma, { target: account.id });
    expect(entries).toEqual([
      expect.objectContaining({
        actor: `key:${auth.secretKey.slice(0, 12)}`,
        action: "account.wallet_replaced",
        target: account.id,
        details: { from: before, to: after },
      }),
    ]);

    // The same wallet again changes nothing and records nothing more.
    expect((await replace(account.id, { address: after })).status).toBe(200);
    expect((await listAuditLog(db.prisma, { target: account.id })).entries).toHaveLength(1);
  });

  it("sets a first wallet without a hold", async () => {
    const { account } = await createAccount(db.prisma, { kind: "user" });
    const wallet = newWalletAddress();
    expect((await replace(account.id, { address: wallet })).json.walletAddress).toBe(wallet);
    expect((await db.prisma.account.findUniqueOrThrow({ where: { id: account.id } })).walletChangedAt).toBeNull();
  });

  it("refuses another account's wallet (409), an unknown account (404), a bad address (400) and leaves all as it was", async () => {
    const taken = newWalletAddress();
    await createAccount(db.prisma, { kind: "user", walletAddress: taken });
    const mine = newWalletAddress();
    const { account } = await createAccount(db.prisma, { kind: "user", walletAddress: mine });

    const conflict = await replace(account.id, { address: taken });
    expect(conflict.status).toBe(409);
    expect(conflict.json.code).toBe("wallet_taken");
    expect((await replace("usr_missing", { address: newWalletAddress() })).status).toBe(404);
    const bad = await replace(account.id, { address: "0x12" });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain("body.address");

    const row = await db.prisma.account.findUniqueOrThrow({ where: { id: account.id } });
    expect(row).toMatchObject({ walletAddress: mine, walletChangedAt: null });
    expect((await listAuditLog(db.prisma, { target: account.id })).entries).toEqual([]);
  });

  it("is the operator's alone: an account's own token cannot use it", async () => {
    const { account } = await createAccount(db.prisma, { kind: "user", walletAddress: newWalletAddress() });
    const res = await replace(account.id, { address: newWalletAddress() }, await auth.as(account.id));
    expect(res.status).toBe(403);
  });
});
