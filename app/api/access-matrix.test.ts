/**
 * The access matrix (docs/api.md, "Who may call what" and "401 or 403") on every route that exists: each route.ts
 * under app/api is imported and every handler is checked against the rows for its declared mode, asserting status
 * and the {error, message} envelope. A new route is covered without touching this file.
 */
import { readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { SignJWT } from "jose";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { RouteHandler } from "@/lib/api/route";
import { derivedKey } from "@/lib/auth/secret";
import { mintUserToken, TOKEN_ISSUER } from "@/lib/auth/tokens";
import { call, type CallResult } from "@/lib/testing/http";
import { integrationSetup } from "@/lib/testing/integration";
import { logsFrom } from "@/lib/testing/logs";

const apiDir = dirname(fileURLToPath(import.meta.url));
const { db, auth } = await integrationSetup();
let alice: string;
let bob: string;
let carol: string;

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "[...nextauth]" ? [] : routeFiles(path);
    return entry.name === "route.ts" ? [path] : [];
  });
}

const handlers: { file: string; name: string; handler: RouteHandler }[] = [];
for (const file of routeFiles(apiDir)) {
  const exported = (await import(file)) as Record<string, unknown>;
  for (const [name, value] of Object.entries(exported)) {
    if (typeof value === "function" && "route" in value) {
      handlers.push({ file: relative(apiDir, file), name, handler: value as RouteHandler });
    }
  }
}

beforeAll(async () => {
  // The matrix sends many writes per account; the limit itself is tested below and in lib/auth.
  process.env.RATE_LIMIT_ACCOUNT_PER_MINUTE = "100000";
  alice = (await db.prisma.account.create({ data: { id: "usr_matrixalice", kind: "USER" } })).id;
  bob = (await db.prisma.account.create({ data: { id: "usr_matrixbob", kind: "USER" } })).id;
  carol = (await db.prisma.account.create({ data: { id: "prov_matrixcarol", kind: "PROVIDER" } })).id;
});
/** Calls a handler as `actor`, naming `subject` wherever the route names an account. */
async function send(handler: RouteHandler, headers: Record<string, string>, subject = alice): Promise<CallResult> {
  const { method, path } = handler.route;
  const subjectOfKind = path.includes("{providerId}") ? carol : subject;
  const params = Object.fromEntries([...path.matchAll(/\{(\w+)\}/g)].map((m) => [m[1]!, subjectOfKind]));
  const concretePath = path.replace(/\{\w+\}/g, subjectOfKind) + (path.endsWith("/network") ? `?root=${subject}` : "");
  // Names the subject the way account routes take it; a code so that the body is well-formed.
  const body = method === "GET" ? undefined : { accountId: subject, code: "usr_nobodyatall" };
  return call(handler, { method, path: concretePath, params, headers, body });
}

function expectRefusal(result: CallResult, status: 401 | 403) {
  expect(result.status).toBe(status);
  expect(result.json).toEqual({
    error: expect.any(String),
    message: expect.any(String),
    code: status === 401 ? expect.stringMatching(/^(unauthenticated|invalid_token)$/) : expect.any(String),
  });
}

/** Past the guard: whatever the rule answers (200, 400, 404, or 503 where payouts are not configured), not 401/403/500. */
function expectAdmitted(result: CallResult) {
  expect([401, 403, 500]).not.toContain(result.status);
}

async function badTokens(accountId: string) {
  const { token } = await mintUserToken(accountId);
  const [header, payload, signature] = token.split(".");
  const tampered = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, "base64url").toString()), sub: bob })).toString("base64url")}.${signature}`;
  const expired = (await mintUserToken(accountId, new Date(Date.now() - 3 * 3600 * 1000))).token;
  const wrongAudience = await new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(accountId)
    .setIssuer(TOKEN_ISSUER)
    .setAudience("another-service")
    .setExpirationTime("1h")
    .sign(derivedKey("api-bearer-token"));
  return { tampered, expired, wrongAudience };
}

/**
 * What every route acting for an account refuses: no credential or a key alone (401), a bearer without its key or
 * with a wrong one (403), and each bad token (401).
 */
async function expectAccountCredentialsChecked(
  handler: RouteHandler,
  user: { authorization: string; "x-api-key": string },
  bad: Record<string, string>,
) {
  expectRefusal(await send(handler, {}), 401);
  expectRefusal(await send(handler, { "x-api-key": auth.publishableKey }), 401);
  expectRefusal(await send(handler, { authorization: user.authorization }), 403);
  expectRefusal(await send(handler, { ...user, "x-api-key": "pk_wrong_0123456789abcdef" }), 403);
  for (const token of Object.values(bad)) {
    expectRefusal(await send(handler, { authorization: `Bearer ${token}`, "x-api-key": auth.publishableKey }), 401);
  }
}

describe("access matrix", () => {
  it("finds the product's routes", () => {
    const names = handlers.map((h) => `${h.handler.route.method} ${h.handler.route.path}`);
    expect(names).toEqual(
      expect.arrayContaining([
        "POST /api/accounts",
        "POST /api/events/usage",
        "POST /api/events/transactions",
        "GET /api/referral-fees/balance",
        "POST /api/referral-fees/claim",
        "GET /api/user/{userId}/referral-stats",
        "PUT /api/user/me/wallet",
      ]),
    );
  });

  const byMode = (mode: string) => () => handlers.filter((h) => h.handler.route.auth === mode);

  it("secret routes: only the operator's secret key", async () => {
    const routes = byMode("secret")();
    expect(routes.length).toBeGreaterThan(4);
    const user = await auth.as(alice);
    for (const { handler } of routes) {
      expectRefusal(await send(handler, {}), 403);
      expectRefusal(await send(handler, { "x-api-key": auth.publishableKey }), 403);
      expectRefusal(await send(handler, { authorization: user.authorization }), 403);
      expectRefusal(await send(handler, { ...user, "x-api-key": "pk_wrong_0123456789abcdef" }), 403);
      expectRefusal(await send(handler, user), 403);
      expectRefusal(await send(handler, { "x-api-key": `${auth.secretKey}x` }), 403);
      expectAdmitted(await send(handler, auth.operator));
    }
  });

  it("user routes: a signed-in account, acting on itself", async () => {
    const routes = byMode("user")();
    expect(routes.length).toBeGreaterThan(4);
    const user = await auth.as(alice);
    const bad = await badTokens(alice);
    for (const { handler } of routes) {
      await expectAccountCredentialsChecked(handler, user, bad);
      expectRefusal(await send(handler, auth.operator), 403);
      expectAdmitted(await send(handler, user));
    }
  });

  it("account routes: the account itself, or the operator for any account; never another account", async () => {
    const routes = byMode("account")();
    expect(routes.length).toBeGreaterThanOrEqual(3);
    const user = await auth.as(alice);
    const other = await auth.as(bob);
    const bad = await badTokens(alice);
    for (const { handler } of routes) {
      await expectAccountCredentialsChecked(handler, user, bad);
      expectRefusal(await send(handler, other, alice), 403);
      expectAdmitted(await send(handler, auth.operator));
      if (!handler.route.path.includes("{providerId}")) expectAdmitted(await send(handler, user));
    }
  });

  it("metrics routes: the metrics token or the operator's secret key", async () => {
    const routes = byMode("metrics")();
    expect(routes.length).toBeGreaterThanOrEqual(1);
    process.env.METRICS_TOKEN = "matrix-metrics-token-0123456789";
    const user = await auth.as(alice);
    for (const { handler } of routes) {
      expectRefusal(await send(handler, {}), 403);
      expectRefusal(await send(handler, { authorization: "Bearer not-the-metrics-token" }), 401);
      expectRefusal(await send(handler, { authorization: user.authorization }), 401);
      expectRefusal(await send(handler, { "x-api-key": auth.publishableKey }), 403);
      expectRefusal(await send(handler, user), 403);
      expectRefusal(await send(handler, { "x-api-key": `${auth.secretKey}x` }), 403);
      expectAdmitted(await send(handler, auth.operator));
      expectAdmitted(await send(handler, { authorization: `Bearer ${process.env.METRICS_TOKEN}` }));
      // A scraper that can only send an Authorization header may use the secret key there.
      expectAdmitted(await send(handler, { authorization: `Bearer ${auth.secretKey}` }));
      expectRefusal(await send(handler, { authorization: `Bearer ${auth.publishableKey}` }), 403);
      expectRefusal(await send(handler, { authorization: `Bearer ${auth.secretKey}x` }), 403);
    }
    delete process.env.METRICS_TOKEN;
    for (const { handler } of routes) {
      expectRefusal(await send(handler, { authorization: "Bearer " }), 403);
      expectRefusal(await send(handler, { authorization: "Bearer any-token-at-all" }), 401);
      expectAdmitted(await send(handler, { authorization: `Bearer ${auth.secretKey}` }));
    }
  });

  it("open routes answer without credentials", async () => {
    for (const { handler } of byMode("none")()) expectAdmitted(await send(handler, {}));
  });

  it("rate-limits an account's writes with 429 and Retry-After", async () => {
    const claim = handlers.find((h) => h.handler.route.path === "/api/referral-fees/claim")!.handler;
    const dave = (await db.prisma.account.create({ data: { id: "usr_matrixdave", kind: "USER" } })).id;
    process.env.RATE_LIMIT_ACCOUNT_PER_MINUTE = "2";
    try {
      const headers = await auth.as(dave);
      for (let i = 0; i < 2; i++) expect((await send(claim, headers, dave)).status).not.toBe(429);
      const limited = await send(claim, headers, dave);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(limited.json).toEqual({
        error: "Too many requests",
        message: expect.stringMatching(/retry in \d+ s/),
        code: "rate_limited",
      });
    } finally {
      process.env.RATE_LIMIT_ACCOUNT_PER_MINUTE = "100000";
    }
  });

  it("never writes keys or tokens to the logs, and never answers with a stack trace", async () => {
    const lines: string[] = [];
    const capture = (...args: unknown[]) =>
      void lines.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : String(a))).join(" "));
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation(capture),
    );
    const logs = logsFrom();
    try {
      const user = await auth.as(alice);
      const bad = await badTokens(alice);
      const results: CallResult[] = [];
      for (const { handler } of handlers) {
        results.push(await send(handler, user));
        results.push(await send(handler, auth.operator));
        results.push(
          await send(handler, { authorization: `Bearer ${bad.tampered}`, "x-api-key": "pk_leaky_0123456789abcdef" }),
        );
      }
      const logged = lines.join("\n") + logs.text();
      expect(logs.lines().filter((line) => typeof line.status === "number").length).toBeGreaterThanOrEqual(
        3 * handlers.length,
      );
      for (const secret of [
        auth.secretKey,
        auth.publishableKey,
        user.authorization.slice(7),
        bad.tampered,
        "pk_leaky_0123456789abcdef",
      ]) {
        expect(logged).not.toContain(secret);
      }
      for (const result of results) expect(result.text).not.toMatch(/\n\s+at .+:\d+:\d+/);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});
