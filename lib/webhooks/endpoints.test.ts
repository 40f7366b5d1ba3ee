// The webhook endpoint routes, through their handlers, on a database of their own.
import { describe, expect, it } from "vitest";
import { DELETE } from "@/app/api/webhooks/[id]/route";
import { GET as DELIVERIES } from "@/app/api/webhooks/[id]/deliveries/route";
import { POST as REDELIVER } from "@/app/api/webhooks/[id]/deliveries/[eventId]/redeliver/route";
import { GET, POST } from "@/app/api/webhooks/route";
import { call } from "@/lib/testing/http";
import { integrationSetup } from "@/lib/testing/integration";
import { emitEvent } from "./outbox";
import { decryptSecret } from "./secrets";

const { db, auth } = await integrationSetup();

const create = (body: unknown, headers = auth.operator) => call(POST, { path: "/api/webhooks", headers, body });

describe("POST /api/webhooks", () => {
  it("answers 201 with the endpoint and its whsec_ secret, stored encrypted and audited", async () => {
    const res = await create({ url: "https://example.com/hooks", events: ["fee.accrued", "claim.completed"] });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      id: expect.stringMatching(/^wh_/),
      url: "https://example.com/hooks",
      events: ["fee.accrued", "claim.completed"],
      description: null,
      createdAt: expect.any(String),
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
    });
    const row = await db.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: res.json.id } });
    expect(row.secretEncrypted).not.toContain(res.json.secret.slice(6));
    expect(decryptSecret(row.secretEncrypted)).toBe(res.json.secret);
    const audit = await db.prisma.auditLog.findFirstOrThrow({ where: { target: res.json.id } });
    expect(audit).toMatchObject({ action: "webhook.created", actor: `key:${auth.secretKey.slice(0, 12)}` });
    expect(JSON.stringify(audit.details)).not.toContain(res.json.secret);
  });

  it('takes ["*"] for every type, and a description', async () => {
    const res = await create({ url: "http://127.0.0.1:9/x", events: ["*"], description: "all of it" });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ events: ["*"], description: "all of it" });
  });

  it.each([
    [{ url: "ftp://example.com/x", events: ["*"] }, "body.url"],
    [{ url: "not a url", events: ["*"] }, "body.url"],
    [{ events: ["*"] }, "body.url"],
    [{ url: "https://example.com", events: [] }, "body.events"],
    [{ url: "https://example.com", events: ["account.deleted"] }, "body.events.0"],
    [{ url: "https://example.com", events: ["*", "fee.accrued"] }, "body.events"],
    [{ url: "https://example.com", events: ["fee.accrued", "fee.accrued"] }, "body.events"],
    [{ url: "https://example.com" }, "body.events"],
    [{ url: "https://example.com", events: ["*"], secret: "mine" }, "body"],
  ])("refuses %j with 400 naming %s, and makes nothing", async (body, field) => {
    const before = await db.prisma.webhookEndpoint.count();
    const res = await create(body);
    expect(res.status).toBe(400);
    expect(res.json.message).toContain(field);
    expect(await db.prisma.webhookEndpoint.count()).toBe(before);
  });

  it("needs the secret key", async () => {
    expect((await create({ url: "https://example.com", events: ["*"] }, {})).status).toBe(403);
    const pk = { "x-api-key": auth.publishableKey };
    expect((await create({ url: "https://example.com", events: ["*"] }, pk)).status).toBe(403);
  });
});

describe("GET /api/webhooks", () => {
  it("lists the endpoints without their secrets", async () => {
    const made = await create({ url: "https://example.com/listed", events: ["account.created"] });
    const res = await call(GET, { path: "/api/webhooks", headers: auth.operator });
    expect(res.status).toBe(200);
    expect(res.json.webhooks).toContainEqual({
      id: made.json.id,
      url: "https://example.com/listed",
      events: ["account.created"],
      description: null,
      createdAt: made.json.createdAt,
    });
    expect(res.text).not.toContain("whsec_");
    expect(res.text).not.toContain("secret");
  });
});

describe("DELETE /api/webhooks/{id}", () => {
  it("deletes the endpoint (audited) and then answers 404", async () => {
    const made = await create({ url: "https://example.com/gone", events: ["*"] });
    const del = () => call(DELETE, { method: "DELETE", params: { id: made.json.id }, headers: auth.operator });
    const res = await del();
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ id: made.json.id, deleted: true });
    expect(await db.prisma.webhookEndpoint.findUnique({ where: { id: made.json.id } })).toBeNull();
    const actions = await db.prisma.auditLog.findMany({ where: { target: made.json.id }, orderBy: { id: "asc" } });
    expect(actions.map((a) => a.action)).toEqual(["webhook.created", "webhook.deleted"]);
    expect((await del()).status).toBe(404);
  });

  it("answers 404 for an unknown endpoint", async () => {
    const res = await call(DELETE, { method: "DELETE", params: { id: "wh_nobody" }, headers: auth.operator });
    expect(res.status).toBe(404);
    expect(res.json.code).toBe("not_found");
  });
});

describe("deliveries", () => {
  it("answers 404 for an unknown endpoint, and an empty log for a new one", async () => {
    const unknown = await call(DELIVERIES, { params: { id: "wh_nobody" }, headers: auth.operator });
    expect(unknown.status).toBe(404);
    const made = await create({ url: "https://example.com/log", events: ["*"] });
    const res = await call(DELIVERIES, { params: { id: made.json.id }, headers: auth.operator });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ deliveries: [] });
  });

  it("lists the events one transaction wrote newest first, though they share its time", async () => {
    const made = await create({ url: "https://example.com/order", events: ["account.frozen"] });
    const written = await db.prisma.$transaction(async (tx) => {
      const ids: string[] = [];
      for (let i = 0; i < 10; i++)
        ids.push(await emitEvent(tx, "account.frozen", { accountId: `usr_${i}`, reason: "r" }));
      return ids;
    });
    const res = await call(DELIVERIES, { params: { id: made.json.id }, headers: auth.operator });
    expect(res.json.deliveries.map((d: { eventId: string }) => d.eventId)).toEqual([...written].reverse());
  });

  it("refuses a bad limit with 400", async () => {
    const made = await create({ url: "https://example.com/limit", events: ["*"] });
    const res = await call(DELIVERIES, {
      path: "/api/webhooks/x/deliveries?limit=0",
      params: { id: made.json.id },
      headers: auth.operator,
    });
    expect(res.status).toBe(400);
    expect(res.json.message).toContain("query.limit");
  });

  it("redelivery of an event the endpoint never had is a 404", async () => {
    const made = await create({ url: "https://example.com/redeliver", events: ["*"] });
    const res = await call(REDELIVER, {
      method: "POST",
      params: { id: made.json.id, eventId: "evt_nothing" },
      headers: auth.operator,
    });
    expect(res.status).toBe(404);
  });
});
