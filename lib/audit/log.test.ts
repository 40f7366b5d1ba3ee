import { describe, expect, it } from "vitest";
import { GET as auditLog } from "@/app/api/audit-log/route";
import { PUT as putRates } from "@/app/api/fx/rates/route";
import { createAccount } from "@/lib/referrals/accounts";
import { call } from "@/lib/testing/http";
import { integrationSetup } from "@/lib/testing/integration";
import { listAuditLog, recordAudit } from "./log";

const { db, auth } = await integrationSetup();

describe("audit log", () => {
  it("records an operator's rate change in the same transaction, naming the key by its prefix only", async () => {
    const res = await call(putRates, { method: "PUT", headers: auth.operator, body: { rates: { KES: "0.0077" } } });
    expect(res.status).toBe(200);
    const { entries } = await listAuditLog(db.prisma, { target: "fx" });
    expect(entries[0]).toMatchObject({
      actor: `key:${auth.secretKey.slice(0, 12)}`,
      action: "fx.rates_set",
      target: "fx",
      details: { rates: { KES: "0.0077" } },
    });
    expect(JSON.stringify(entries)).not.toContain(auth.secretKey);
  });

  it("keeps nothing of an action that rolls back", async () => {
    const { account } = await createAccount(db.prisma, { kind: "user" });
    await expect(
      db.prisma.$transaction(async (tx) => {
        await recordAudit(tx, { actor: "cli:test", action: "account.frozen", target: account.id });
        throw new Error("the action failed after its entry was written");
      }),
    ).rejects.toThrow("the action failed");
    expect((await listAuditLog(db.prisma, { target: account.id })).entries).toEqual([]);
  });

  it("cannot be changed or deleted, whoever connects", async () => {
    await recordAudit(db.prisma, { actor: "cli:test", action: "api_key.revoked", target: "key-1" });
    await expect(db.prisma.$executeRaw`UPDATE audit_log SET actor = 'someone else'`).rejects.toThrow(/append-only/);
    await expect(db.prisma.$executeRaw`DELETE FROM audit_log`).rejects.toThrow(/append-only/);
    await expect(db.prisma.$executeRaw`TRUNCATE audit_log`).rejects.toThrow(/append-only/);
    expect((await listAuditLog(db.prisma, { target: "key-1" })).entries).toHaveLength(1);
  });

  it("pages newest first with an opaque cursor, and refuses a malformed one with 400", async () => {
    for (let i = 0; i < 5; i++) {
      await recordAudit(db.prisma, { actor: "cli:test", action: "webhook.created", target: "paged", details: { i } });
    }
    const first = await call(auditLog, { path: "/api/audit-log?target=paged&limit=3", headers: auth.operator });
    expect(first.status).toBe(200);
    expect(first.json.entries.map((e: { details: { i: number } }) => e.details.i)).toEqual([4, 3, 2]);
    const second = await call(auditLog, {
      path: `/api/audit-log?target=paged&limit=3&cursor=${first.json.nextCursor}`,
      headers: auth.operator,
    });
    expect(second.json.entries.map((e: { details: { i: number } }) => e.details.i)).toEqual([1, 0]);
    expect(second.json.nextCursor).toBeNull();
    expect(second.json.entries[0]).toEqual({
      id: expect.stringMatching(/^\d+$/),
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      actor: "cli:test",
      action: "webhook.created",
      target: "paged",
      details: { i: 1 },
    });

    for (const cursor of ["nope", Buffer.from("audit:x").toString("base64url"), first.json.nextCursor.slice(0, -2)]) {
      const bad = await call(auditLog, { path: `/api/audit-log?cursor=${cursor}`, headers: auth.operator });
      expect(bad.status, cursor).toBe(400);
      expect(bad.json.code).toBe("invalid_cursor");
    }
  });

  it("is the operator's alone: no key, a publishable key or a user's token is refused", async () => {
    expect((await call(auditLog, { path: "/api/audit-log" })).status).toBe(403);
    expect(
      (await call(auditLog, { path: "/api/audit-log", headers: { "x-api-key": auth.publishableKey } })).status,
    ).toBe(403);
    const { account } = await createAccount(db.prisma, { kind: "user" });
    expect((await call(auditLog, { path: "/api/audit-log", headers: await auth.as(account.id) })).status).toBe(403);
  });
});
