import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getFxRates, setFxRates } from "./rates";
import { fxRefreshIntervalMs, refreshFxRates } from "./refresh";
import { dec } from "@/lib/money";
import { integrationSetup } from "@/lib/testing/integration";

const { db } = await integrationSetup();
let server: Server;
let baseUrl: string;
/** What the feed answers next: status and raw body text. */
let answer: { status: number; body: string } = { status: 200, body: "{}" };
let requests = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    res.writeHead(answer.status, { "content-type": "application/json" });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

const env = (url = `${baseUrl}/rates?token=secret`): Record<string, string> => ({ FX_SOURCE_URL: url });

describe("refreshFxRates from FX_SOURCE_URL over HTTP", () => {
  it("does nothing without a configured source", async () => {
    const before = requests;
    expect(await refreshFxRates(db.prisma, fetch, {})).toBeNull();
    expect(requests).toBe(before);
  });

  it("stores the feed's rates with their source (no query string) and time, ignoring currencies we do not support", async () => {
    answer = { status: 200, body: '{"rates":{"KES":0.0077,"NGN":"0.00063","EUR":1.08,"CDF":0.00035714285714285713}}' };
    const view = await refreshFxRates(db.prisma, fetch, env());
    expect(view?.rates.KES?.usd.toFixed()).toBe("0.0077");
    expect(view?.rates.NGN?.usd.toFixed()).toBe("0.00063");
    // A double with 20 decimals is cut to the 18 the database holds.
    expect(view?.rates.CDF?.usd.toFixed()).toBe("0.000357142857142857");
    expect(view?.rates.KES?.source).toBe(`feed:${baseUrl}/rates`);
    expect(Object.keys(view?.rates ?? {})).toEqual(["KES", "NGN", "CDF"]);
    expect(await db.prisma.fxRateHistory.count()).toBe(3);
  });

  it.each([
    ["an HTTP error", { status: 500, body: '{"error":"down"}' }, "HTTP 500"],
    ["a body that is not JSON", { status: 200, body: "<html>" }, "did not answer JSON"],
    ["a body without rates", { status: 200, body: '{"data":{}}' }, "rates must be an object"],
    ["a negative rate", { status: 200, body: '{"rates":{"KES":-1}}' }, "greater than 0"],
    ["only unsupported currencies", { status: 200, body: '{"rates":{"EUR":1.08}}' }, "no rate"],
  ])("changes nothing when the source answers %s", async (_name, reply, message) => {
    const before = await getFxRates(db.prisma);
    answer = reply;
    await expect(refreshFxRates(db.prisma, fetch, env())).rejects.toThrow(message);
    expect(await getFxRates(db.prisma)).toEqual(before);
  });

  it("changes nothing when the source cannot be reached", async () => {
    const before = await getFxRates(db.prisma);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/rates`;
    await new Promise((resolve) => closed.close(resolve));
    await expect(refreshFxRates(db.prisma, fetch, env(deadUrl))).rejects.toThrow();
    expect(await getFxRates(db.prisma)).toEqual(before);
  });

  it("replaces a rate set by the operator and keeps both in the history", async () => {
    await setFxRates(db.prisma, new Map([["UGX", dec("0.00027")]]), "operator:test");
    answer = { status: 200, body: '{"rates":{"UGX":0.00028}}' };
    const view = await refreshFxRates(db.prisma, fetch, env());
    expect(view?.rates.UGX?.usd.toFixed()).toBe("0.00028");
    const history = await db.prisma.fxRateHistory.findMany({ where: { currency: "UGX" }, orderBy: { id: "asc" } });
    expect(history.map((h) => [h.usdRate.toString(), h.source])).toEqual([
      ["0.00027", "operator:test"],
      ["0.00028", `feed:${baseUrl}/rates`],
    ]);
  });

  it("refreshes every FX_REFRESH_SECONDS, an hour by default", () => {
    expect(fxRefreshIntervalMs({})).toBe(3_600_000);
    expect(fxRefreshIntervalMs({ FX_REFRESH_SECONDS: "60" })).toBe(60_000);
    expect(() => fxRefreshIntervalMs({ FX_REFRESH_SECONDS: "-1" })).toThrow();
  });
});
