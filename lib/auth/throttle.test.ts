import { describe, expect, it, vi } from "vitest";
import { GET as nonceRoute } from "@/app/api/auth/siwe/nonce/route";
import { call } from "@/lib/testing/http";
import { integrationSetup } from "@/lib/testing/integration";
import { RateLimited } from "./rate-limit";
import {
  clearPasswordFailures,
  clientAddress,
  enforceClientLimit,
  passwordSignInBlockedUntil,
  recordPasswordFailure,
} from "./throttle";

const { db } = await integrationSetup();
const minutes = (n: number) => n * 60_000;

describe("password sign-in throttle", () => {
  it("locks an email once 10 attempts failed within 15 minutes, until the oldest of them is 15 minutes old", async () => {
    const email = "locked@example.com";
    const t0 = new Date("2030-01-01T00:00:00.000Z");
    for (let i = 0; i < 9; i++) await recordPasswordFailure(db.prisma, email, new Date(t0.getTime() + minutes(i)));
    expect(await passwordSignInBlockedUntil(db.prisma, email, new Date(t0.getTime() + minutes(9)))).toBeNull();

    await recordPasswordFailure(db.prisma, email, new Date(t0.getTime() + minutes(9)));
    const until = new Date(t0.getTime() + minutes(15));
    expect(await passwordSignInBlockedUntil(db.prisma, email, new Date(t0.getTime() + minutes(9)))).toEqual(until);
    expect(await passwordSignInBlockedUntil(db.prisma, email, new Date(until.getTime() - 1))).toEqual(until);
    expect(await passwordSignInBlockedUntil(db.prisma, email, until)).toBeNull();
    expect(await passwordSignInBlockedUntil(db.prisma, "other@example.com", t0)).toBeNull();
  });

  it("forgets an email's failures after a successful sign-in", async () => {
    const email = "forgiven@example.com";
    const now = new Date();
    for (let i = 0; i < 10; i++) await recordPasswordFailure(db.prisma, email, now);
    expect(await passwordSignInBlockedUntil(db.prisma, email, now)).not.toBeNull();
    await clearPasswordFailures(db.prisma, email);
    expect(await passwordSignInBlockedUntil(db.prisma, email, now)).toBeNull();
  });
});

describe("GET /api/auth/siwe/nonce throttle", () => {
  const nonce = (address: string) =>
    call(nonceRoute, { path: "/api/auth/siwe/nonce", headers: { "x-forwarded-for": address } });

  it("gives one client address 60 nonces a minute, then 429 with Retry-After; other addresses are not affected", async () => {
    for (let i = 0; i < 60; i++) expect((await nonce("198.51.100.7")).status).toBe(200);
    const refused = await nonce("198.51.100.7");
    expect(refused.status).toBe(429);
    expect(refused.json.code).toBe("rate_limited");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await nonce("198.51.100.8")).status).toBe(200);
  });

  it("counts the last minute, not the clock's: 60 nonces just before a minute ends leave none for just after", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      const t0 = Math.ceil(Date.now() / 60_000) * 60_000 + 59_000; // a second before a clock minute ends
      vi.setSystemTime(t0);
      for (let i = 0; i < 60; i++) expect((await nonce("198.51.100.9")).status).toBe(200);
      vi.setSystemTime(t0 + 2_000);
      const refused = await nonce("198.51.100.9");
      expect(refused.status).toBe(429);
      expect(refused.headers.get("retry-after")).toBe("58");
      vi.setSystemTime(t0 + 60_000);
      expect((await nonce("198.51.100.9")).status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
  });

  it("counts sign-ups apart from nonces: 60 a minute per address, then refused with Retry-After", async () => {
    const from = (address: string) => new Headers({ "x-forwarded-for": address });
    for (let i = 0; i < 60; i++) await enforceClientLimit(from("198.51.100.20"), "sign-up");
    const refused = await enforceClientLimit(from("198.51.100.20"), "sign-up").catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimited);
    expect(Number((refused as RateLimited).headers?.["retry-after"])).toBeGreaterThanOrEqual(1);
    await expect(enforceClientLimit(from("198.51.100.21"), "sign-up")).resolves.toBeUndefined();
    await expect(enforceClientLimit(from("198.51.100.20"), "siwe-nonce")).resolves.toBeUndefined();
  });

  it("takes the client address from the last hop of X-Forwarded-For", () => {
    expect(clientAddress(new Headers({ "x-forwarded-for": "203.0.113.1, 10.0.0.2" }))).toBe("10.0.0.2");
    expect(clientAddress(new Headers())).toBe("unknown");
  });
});
