import { describe, expect, it } from "vitest";
import { integrationSetup } from "@/lib/testing/integration";
import { isSessionLive, openSession, revokeSession, SESSION_MAX_AGE_SECONDS } from "./sessions";

const { db } = await integrationSetup();

describe("server-side sessions", () => {
  it("are live from sign-in until sign-out or expiry, for their own account only", async () => {
    const now = new Date();
    const sid = await openSession(db.prisma, "usr_s1", now);
    expect(await isSessionLive(db.prisma, sid, "usr_s1", now)).toBe(true);
    expect(await isSessionLive(db.prisma, sid, "usr_s2", now)).toBe(false);
    expect(await isSessionLive(db.prisma, undefined, "usr_s1", now)).toBe(false);
    expect(
      await isSessionLive(db.prisma, sid, "usr_s1", new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000)),
    ).toBe(false);

    await revokeSession(db.prisma, sid);
    expect(await isSessionLive(db.prisma, sid, "usr_s1", now)).toBe(false);
    const other = await openSession(db.prisma, "usr_s1", now);
    expect(await isSessionLive(db.prisma, other, "usr_s1", now)).toBe(true);
  });
});
