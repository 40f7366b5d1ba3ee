import { beforeAll, describe, expect, it } from "vitest";
import { call } from "@/lib/testing/http";
import { integrationSetup } from "@/lib/testing/integration";
import { GET, PUT } from "./route";

const { db, auth } = await integrationSetup();

beforeAll(async () => {
  await db.prisma.account.create({ data: { id: "usr_fxreader00000000001", kind: "USER" } });
});

const put = (body: unknown, headers = auth.operator) =>
  call(PUT, { method: "PUT", path: "/api/fx/rates", headers, body });

describe("/api/fx/rates", () => {
  it("starts empty and is readable without credentials", async () => {
    const res = await call(GET, { path: "/api/fx/rates" });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ rates: {} });
  });

  it("sets rates with the secret key and answers the GET shape, with source and time", async () => {
    const before = Date.now();
    const res = await put({ rates: { KES: 0.0077, NGN: "0.00063" } });
    expect(res.status).toBe(200);
    expect(res.text).toContain('"KES":{"usd":0.0077,');
    expect(res.json.rates.NGN.usd).toBe(0.00063);
    expect(res.json.rates.KES.source).toBe("operator:bootstrap-secret");
    expect(Date.parse(res.json.rates.KES.updatedAt)).toBeGreaterThanOrEqual(before - 5);
    expect((await call(GET, { path: "/api/fx/rates" })).json).toEqual(res.json);
  });

  it("keeps currencies not listed and appends every change to the history", async () => {
    await put({ rates: { KES: 0.0078 } });
    const res = await call(GET, { path: "/api/fx/rates" });
    expect(res.json.rates.KES.usd).toBe(0.0078);
    expect(res.json.rates.NGN.usd).toBe(0.00063);
    const history = await db.prisma.fxRateHistory.findMany({ where: { currency: "KES" }, orderBy: { id: "asc" } });
    expect(history.map((h) => h.usdRate.toString())).toEqual(["0.0077", "0.0078"]);
  });

  it.each([
    ["an unknown currency", { NGN: 0.0007, USD: 1 }, "rates.USD: unknown currency"],
    ["a zero rate", { NGN: 0.0007, KES: 0 }, "rates.KES: must be greater than 0"],
    ["a negative rate", { KES: -0.1 }, "greater than 0"],
    ["a non-number", { KES: "abc" }, "must be a number"],
    ["a hexadecimal string", { KES: "0x0.8" }, "must be a number"],
    ["a binary string", { KES: "0b1" }, "must be a number"],
    ["an exponent in a string", { KES: "1e-3" }, "must be a number"],
    ["more than 18 decimals", { KES: "0.0000000000000000001" }, "18 decimal places"],
    ["a rate in the wrong direction (units per USD)", { KES: 129 }, "must be below"],
    ["no rates at all", {}, "no rate"],
  ])("refuses %s with 400 and changes nothing", async (_name, rates, message) => {
    const before = await call(GET, { path: "/api/fx/rates" });
    const historyBefore = await db.prisma.fxRateHistory.count();
    const res = await put({ rates });
    expect(res.status).toBe(400);
    expect(res.json.message).toContain(message);
    expect((await call(GET, { path: "/api/fx/rates" })).json).toEqual(before.json);
    expect(await db.prisma.fxRateHistory.count()).toBe(historyBefore);
  });

  it("refuses a body without rates", async () => {
    expect((await put({ KES: 1 })).status).toBe(400);
  });

  it("needs the secret key to set rates", async () => {
    expect((await put({ rates: { KES: 1 } }, {})).status).toBe(403);
    expect((await put({ rates: { KES: 1 } }, await auth.as("usr_fxreader00000000001"))).status).toBe(403);
  });
});
