import { randomBytes } from "node:crypto";
import { encode } from "next-auth/jwt";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { DomainError } from "@/lib/errors";
import { waitFor } from "@/lib/testing/fees";
import { integrationSetup } from "@/lib/testing/integration";
import { authenticate } from "./guard";
import { createApiKey, flushLastUsed, revokeApiKey } from "./keys";
import { openSession, revokeSession } from "./sessions";
import { derivedKey } from "./secret";
import { mintUserToken, TOKEN_AUDIENCE, TOKEN_ISSUER } from "./tokens";

const { db, auth } = await integrationSetup();

function request(headers: Record<string, string> = {}) {
  return new Request("http://127.0.0.1/api/x", { headers });
}

async function refusal(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return { status: (error as DomainError).status, message: (error as DomainError).message };
}

/** The cookie next-auth sets at sign-in: a JWT naming the account and its server-side session. */
async function sessionCookie(accountId: string, sid?: string) {
  const value = await encode({
    token: { sub: accountId, sid: sid ?? (await openSession(db.prisma, accountId)) },
    secret: process.env.AUTH_SECRET!,
    salt: "authjs.session-token",
  });
  return { cookie: `authjs.session-token=${value}` };
}

/** A write as a browser on this site sends it: JSON, with the site's Origin. */
function write(headers: Record<string, string>, extra: Record<string, string> = {}) {
  return new Request("http://127.0.0.1/api/x", {
    method: "POST",
    headers: { "content-type": "application/json", origin: "http://127.0.0.1", ...headers, ...extra },
    body: "{}",
  });
}

describe("authenticate", () => {
  it("lets anyone through `none` routes", async () => {
    expect(await authenticate(request(), "none")).toBeNull();
  });

  it("accepts bootstrap and stored secret keys on secret routes, and nothing else", async () => {
    expect(await authenticate(request(auth.operator), "secret")).toEqual({
      type: "operator",
      keyId: "bootstrap-secret",
      keyPrefix: auth.secretKey.slice(0, 12),
    });
    const stored = await createApiKey(db.prisma, "SECRET", "backend", "cli:test");
    expect(await authenticate(request({ "x-api-key": stored.key }), "secret")).toEqual({
      type: "operator",
      keyId: stored.id,
      keyPrefix: stored.prefix,
    });

    expect(await refusal(authenticate(request(), "secret"))).toEqual({ status: 403, message: "Missing API key" });
    expect((await refusal(authenticate(request({ "x-api-key": "sk_nope_0123456789abcdef" }), "secret"))).status).toBe(
      403,
    );
    expect((await refusal(authenticate(request({ "x-api-key": auth.publishableKey }), "secret"))).status).toBe(403);
    expect((await refusal(authenticate(request(await auth.as("usr_a")), "secret"))).status).toBe(403);
  });

  it("stops honouring a revoked key", async () => {
    const stored = await createApiKey(db.prisma, "SECRET", "old", "cli:test");
    expect(await revokeApiKey(db.prisma, stored.prefix, "cli:test")).toBe(true);
    expect((await refusal(authenticate(request({ "x-api-key": stored.key }), "secret"))).status).toBe(403);
  });

  it("reads a stored key from the database about once a second, so another process's revocation holds within it", async () => {
    const stored = await createApiKey(db.prisma, "SECRET", "busy backend", "cli:test");
    const operator = { type: "operator", keyId: stored.id, keyPrefix: stored.prefix };
    expect(await authenticate(request({ "x-api-key": stored.key }), "secret")).toEqual(operator);
    // Revoked by another process (the CLI, another instance): this one still trusts what it read a moment ago...
    const revokedAt = Date.now();
    await db.prisma.apiKey.update({ where: { id: stored.id }, data: { revokedAt: new Date() } });
    expect(await authenticate(request({ "x-api-key": stored.key }), "secret")).toEqual(operator);
    // ...for at most a second.
    await waitFor(async () =>
      authenticate(request({ "x-api-key": stored.key }), "secret").then(
        () => false,
        () => true,
      ),
    );
    expect(Date.now() - revokedAt).toBeLessThan(1_500);
  });

  it("refuses a key this process revoked at once, however recently it was used", async () => {
    const stored = await createApiKey(db.prisma, "PUBLISHABLE", "front end", "cli:test");
    const headers = { ...(await auth.as("usr_a")), "x-api-key": stored.key };
    expect(await authenticate(request(headers), "user")).toMatchObject({ accountId: "usr_a", keyId: stored.id });
    expect(await revokeApiKey(db.prisma, stored.id, "cli:test")).toBe(true);
    expect((await refusal(authenticate(request(headers), "user"))).status).toBe(403);
  });

  it("refuses a stored key whose secret part is wrong, even with the right prefix", async () => {
    const stored = await createApiKey(db.prisma, "PUBLISHABLE", "front", "cli:test");
    const tampered = stored.key.slice(0, -2) + (stored.key.endsWith("AA") ? "BB" : "AA");
    expect(
      (await refusal(authenticate(request({ ...(await auth.as("usr_a")), "x-api-key": tampered }), "user"))).status,
    ).toBe(403);
  });

  it("records when a stored key was last used, without a write per request", async () => {
    const stored = await createApiKey(db.prisma, "SECRET", "tracked", "cli:test");
    await authenticate(request({ "x-api-key": stored.key }), "secret");
    expect((await db.prisma.apiKey.findUniqueOrThrow({ where: { id: stored.id } })).lastUsedAt).toBeNull();
    await flushLastUsed(db.prisma);
    expect((await db.prisma.apiKey.findUniqueOrThrow({ where: { id: stored.id } })).lastUsedAt).toBeInstanceOf(Date);
  });

  it("resolves a bearer token + key to the account", async () => {
    expect(await authenticate(request(await auth.as("usr_alice")), "user")).toMatchObject({
      type: "account",
      accountId: "usr_alice",
      via: "bearer",
    });
  });

  it("follows the contract's access matrix on user routes", async () => {
    const { authorization } = await auth.as("usr_alice");
    expect(await refusal(authenticate(request(), "user"))).toMatchObject({ status: 401 });
    expect(await refusal(authenticate(request({ "x-api-key": auth.publishableKey }), "user"))).toMatchObject({
      status: 401,
    });
    expect(await refusal(authenticate(request({ authorization }), "user"))).toMatchObject({ status: 403 });
    expect(
      await refusal(authenticate(request({ authorization, "x-api-key": "pk_wrong_0123456789abcdef" }), "user")),
    ).toMatchObject({ status: 403 });
    expect(await refusal(authenticate(request(auth.operator), "user"))).toMatchObject({ status: 403 });
  });

  it("refuses tampered, expired, foreign and malformed tokens with 401", async () => {
    const { authorization } = await auth.as("usr_alice");
    const token = authorization.replace("Bearer ", "");
    const [header, payload, signature] = token.split(".");
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, "base64url").toString()), sub: "usr_mallory" }),
    ).toString("base64url");
    const expired = (await mintUserToken("usr_alice", new Date(Date.now() - 2 * 3600 * 1000))).token;
    const wrongAudience = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("usr_alice")
      .setIssuer(TOKEN_ISSUER)
      .setAudience("someone-else")
      .setExpirationTime("1h")
      .sign(derivedKey("api-bearer-token"));
    const wrongKey = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("usr_alice")
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setExpirationTime("1h")
      .sign(randomBytes(32));
    const unsigned = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${payload}.`;
    for (const bad of [
      `${header}.${forgedPayload}.${signature}`,
      expired,
      wrongAudience,
      wrongKey,
      unsigned,
      "garbage",
      "",
    ]) {
      const result = await refusal(
        authenticate(request({ authorization: `Bearer ${bad}`, "x-api-key": auth.publishableKey }), "user"),
      );
      expect(result.status, bad).toBe(401);
    }
    expect(
      (
        await refusal(
          authenticate(request({ authorization: `Bearer ${expired}`, "x-api-key": auth.publishableKey }), "user"),
        )
      ).message,
    ).toBe("The bearer token has expired");
  });

  it("accepts a browser session in place of bearer + key", async () => {
    expect(await authenticate(request(await sessionCookie("usr_bob")), "user")).toMatchObject({
      type: "account",
      accountId: "usr_bob",
      via: "session",
    });
    const forged = await encode({
      token: { sub: "usr_bob" },
      secret: randomBytes(32).toString("hex"),
      salt: "authjs.session-token",
    });
    expect((await refusal(authenticate(request({ cookie: `authjs.session-token=${forged}` }), "user"))).status).toBe(
      401,
    );
  });

  it("refuses a signed-out session's cookie, and one without a server-side session", async () => {
    const sid = await openSession(db.prisma, "usr_carol");
    const cookie = await sessionCookie("usr_carol", sid);
    expect(await authenticate(request(cookie), "user")).toMatchObject({ accountId: "usr_carol" });
    await revokeSession(db.prisma, sid);
    expect((await refusal(authenticate(request(cookie), "user"))).status).toBe(401);
    const noSid = await encode({
      token: { sub: "usr_carol" },
      secret: process.env.AUTH_SECRET!,
      salt: "authjs.session-token",
    });
    expect((await refusal(authenticate(request({ cookie: `authjs.session-token=${noSid}` }), "user"))).status).toBe(
      401,
    );
    const otherAccount = await sessionCookie("usr_carol", await openSession(db.prisma, "usr_dave"));
    expect((await refusal(authenticate(request(otherAccount), "user"))).status).toBe(401);
  });

  it("accepts a session's write only as JSON from this site (Origin, or Sec-Fetch-Site without one)", async () => {
    const cookie = await sessionCookie("usr_erin");
    expect(await authenticate(write(cookie), "user")).toMatchObject({ accountId: "usr_erin" });
    const sameSiteFetch = write(cookie, { "sec-fetch-site": "same-origin" });
    sameSiteFetch.headers.delete("origin");
    expect(await authenticate(sameSiteFetch, "user")).toMatchObject({ accountId: "usr_erin" });

    for (const [label, extra] of [
      ["text/plain", { "content-type": "text/plain" }],
      ["a form", { "content-type": "application/x-www-form-urlencoded" }],
      ["another site's Origin", { origin: "https://evil.example" }],
      ["a null Origin", { origin: "null" }],
    ] as const) {
      const refused = await refusal(authenticate(write(cookie, extra), "user"));
      expect(refused.status, label).toBe(403);
    }
    const crossSite = write(cookie, { "sec-fetch-site": "cross-site" });
    crossSite.headers.delete("origin");
    expect((await refusal(authenticate(crossSite, "user"))).status).toBe(403);

    // Bearer calls carry no ambient credential: no Origin needed.
    const bearer = new Request("http://127.0.0.1/api/x", {
      method: "POST",
      headers: { ...(await auth.as("usr_erin")), "content-type": "text/plain" },
      body: "{}",
    });
    expect(await authenticate(bearer, "user")).toMatchObject({ via: "bearer" });
  });

  it("refuses a correctly signed token whose subject is not a string", async () => {
    const numeric = await new SignJWT({ sub: 42 as unknown as string })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setExpirationTime("1h")
      .sign(derivedKey("api-bearer-token"));
    const refused = await refusal(
      authenticate(request({ authorization: `Bearer ${numeric}`, "x-api-key": auth.publishableKey }), "user"),
    );
    expect(refused.status).toBe(401);
  });

  it("lets the operator act on any account where the route allows it", async () => {
    expect(await authenticate(request(auth.operator), "account")).toEqual({
      type: "operator",
      keyId: "bootstrap-secret",
      keyPrefix: auth.secretKey.slice(0, 12),
    });
    expect(await authenticate(request(await auth.as("usr_alice")), "account")).toMatchObject({
      accountId: "usr_alice",
    });
  });
});
