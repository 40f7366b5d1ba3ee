import { describe, expect, it } from "vitest";
import { z } from "zod";
import { DomainError } from "@/lib/errors";
import { dec } from "@/lib/money";
import { logsFrom } from "@/lib/testing/logs";
import { openApiDocument } from "./openapi";
import { Reply, route } from "./route";

const noParams = { params: Promise.resolve({}) };

const echo = route(
  {
    method: "POST",
    path: "/api/test/echo/{id}",
    auth: "none",
    summary: "Echo for tests",
    params: z.object({ id: z.string().min(3) }),
    query: z.object({ limit: z.coerce.number().int().positive().optional() }),
    body: z.object({ amount: z.number().positive(), currency: z.enum(["KES", "NGN"]) }),
    maxBodyBytes: 200,
  },
  async ({ params, query, body }) => ({
    id: params.id,
    limit: query.limit ?? null,
    fee: dec(body.amount).times("0.003"),
  }),
);

function post(body: string, url = "http://x/api/test/echo/abc?limit=2", headers: Record<string, string> = {}) {
  return new Request(url, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
}

describe("route()", () => {
  it("validates params, query and body and answers with exact decimals", async () => {
    const res = await echo(post('{"amount":101,"currency":"KES"}'), { params: Promise.resolve({ id: "abc" }) });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"id":"abc","limit":2,"fee":0.303}');
  });

  it.each([
    ['{"amount":"101","currency":"KES"}', "body.amount"],
    ['{"amount":-1,"currency":"KES"}', "body.amount"],
    ['{"amount":1,"currency":"USD"}', "body.currency"],
    ['{"currency":"KES"}', "body.amount"],
    ["{not json", "body: not valid JSON"],
    ["", "body: "],
  ])("refuses bad body %s with 400 naming %s", async (body, field) => {
    const res = await echo(post(body), { params: Promise.resolve({ id: "abc" }) });
    expect(res.status).toBe(400);
    const json = await res.json();
    expect(json.error).toBe("Invalid request");
    expect(json.message).toContain(field);
  });

  it.each([
    ["a NUL in the body", post('{"amount":1,"currency":"KES\\u0000"}'), "abc", "body.currency"],
    ["a lone surrogate in the body", post('{"amount":1,"currency":"\\ud800"}'), "abc", "body.currency"],
    ["a NUL in a key of the body", post('{"amount":1,"currency":"KES","a\\u0000":1}'), "abc", "body.a\\u0000"],
    [
      "a NUL in the query",
      post('{"amount":1,"currency":"KES"}', "http://x/api/test/echo/abc?limit=%00"),
      "abc",
      "query.limit",
    ],
    ["a NUL in a path parameter", post('{"amount":1,"currency":"KES"}'), "usr_\u0000", "params.id"],
  ])("refuses %s with 400 naming the field, never a 500", async (_, request, id, field) => {
    const res = await echo(request, { params: Promise.resolve({ id }) });
    expect(res.status).toBe(400);
    const json = await res.json();
    expect(json).toMatchObject({ error: "Invalid request", code: "invalid_request" });
    expect(json.message).toBe(`${field}: contains a NUL character or an unpaired surrogate`);
  });

  it("refuses bad params and query with 400", async () => {
    const badParam = await echo(post('{"amount":1,"currency":"KES"}'), { params: Promise.resolve({ id: "a" }) });
    expect(badParam.status).toBe(400);
    expect((await badParam.json()).message).toContain("params.id");
    const badQuery = await echo(post('{"amount":1,"currency":"KES"}', "http://x/api/test/echo/abc?limit=-4"), {
      params: Promise.resolve({ id: "abc" }),
    });
    expect(badQuery.status).toBe(400);
    expect((await badQuery.json()).message).toContain("query.limit");
  });

  it("refuses an oversized body with 413, whether or not Content-Length says so", async () => {
    const big = JSON.stringify({ amount: 1, currency: "KES", pad: "x".repeat(500) });
    const declared = await echo(post(big, undefined, { "content-length": String(big.length) }), {
      params: Promise.resolve({ id: "abc" }),
    });
    expect(declared.status).toBe(413);
    const streamed = new Request("http://x/api/test/echo/abc", {
      method: "POST",
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(big));
          controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    const res = await echo(streamed, { params: Promise.resolve({ id: "abc" }) });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      error: "Request body too large",
      message: "The body may be at most 200 bytes",
      code: "body_too_large",
    });
  });

  it("maps domain errors to their status and envelope", async () => {
    const cases: [DomainError, number][] = [
      [new DomainError("nothing_to_claim", "No accumulated referral fees to claim"), 400],
      [new DomainError("unauthenticated", "Unauthorized", "Missing bearer token"), 401],
      [new DomainError("forbidden", "Forbidden"), 403],
      [new DomainError("not_found", "Account not found"), 404],
      [new DomainError("claim_in_progress", "Claim in progress"), 409],
      [new DomainError("rate_limited", "Too many requests", "Slow down", { headers: { "retry-after": "3" } }), 429],
      [new DomainError("rates_unavailable", "Exchange rate stale"), 503],
    ];
    for (const [error, status] of cases) {
      const failing = route(
        { method: "GET", path: `/api/test/fail/${status}`, auth: "none", summary: "x" },
        async () => {
          throw error;
        },
      );
      const res = await failing(new Request("http://x/"), noParams);
      expect(res.status).toBe(status);
      expect(await res.json()).toEqual({ error: error.error, message: error.message, code: error.code });
      if (status === 429) expect(res.headers.get("retry-after")).toBe("3");
    }
  });

  it("answers an unexpected error with 500 and no internals, and logs the cause with the request id", async () => {
    const logs = logsFrom();
    const broken = route({ method: "GET", path: "/api/test/broken", auth: "none", summary: "x" }, async () => {
      throw new Error("connection to secret-host:5432 refused");
    });
    const res = await broken(new Request("http://x/"), noParams);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text).error).toBe("Internal server error");
    expect(text).not.toContain("secret-host");
    expect(text).not.toMatch(/at .*\.ts/);
    const cause = logs.lines().find((line) => line.requestId === res.headers.get("x-request-id") && line.error);
    expect(cause?.error).toMatchObject({ message: "connection to secret-host:5432 refused" });
  });

  it("lets a handler choose the status", async () => {
    const created = route({ method: "POST", path: "/api/test/created", auth: "none", summary: "x" }, async () => {
      return new Reply(201, { id: "x" });
    });
    expect((await created(new Request("http://x/", { method: "POST" }), noParams)).status).toBe(201);
  });

  it("documents every route in the OpenAPI document", () => {
    const doc = openApiDocument();
    expect(doc.openapi).toBe("3.1.0");
    const op = doc.paths?.["/api/test/echo/{id}"]?.post;
    expect(op?.summary).toBe("Echo for tests");
    expect(JSON.stringify(op?.requestBody)).toContain("currency");
    expect(op?.parameters?.map((p) => ("name" in p ? p.name : ""))).toEqual(expect.arrayContaining(["id", "limit"]));
    expect(Object.keys(op?.responses ?? {})).toEqual(expect.arrayContaining(["200", "400", "500"]));
  });
});
