/**
 * Server-side records of browser sessions. A next-auth session is a JWT in a cookie, valid until it expires
 * whatever the server knows; each one carries the id of a row here (`sid`), and is honoured only while that row is
 * live, so signing out ends the session at once, on every instance. One primary-key read per request.
 */
import "server-only";
import { randomBytes } from "node:crypto";
import type { Db } from "@/lib/db/client";

export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 3600;

/** Records a new session of `accountId`; returns its id, for the JWT. */
export async function openSession(db: Db, accountId: string, now: Date = new Date()): Promise<string> {
  const id = randomBytes(18).toString("base64url");
  await db.authSession.create({
    data: { id, accountId, createdAt: now, expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000) },
  });
  // Expired rows are garbage; clearing a few on each sign-in keeps the table small without a job.
  await db.authSession.deleteMany({ where: { expiresAt: { lt: now } } });
  return id;
}

/** True while the session `sid` of `accountId` is neither revoked nor expired. */
export async function isSessionLive(
  db: Db,
  sid: unknown,
  accountId: unknown,
  now: Date = new Date(),
): Promise<boolean> {
  if (typeof sid !== "string" || typeof accountId !== "string") return false;
  const row = await db.authSession.findUnique({
    where: { id: sid },
    select: { accountId: true, revokedAt: true, expiresAt: true },
  });
  return row !== null && row.accountId === accountId && row.revokedAt === null && row.expiresAt > now;
}

/** Ends the session `sid` (sign-out); its cookie is refused from now on. */
export async function revokeSession(db: Db, sid: unknown, now: Date = new Date()): Promise<void> {
  if (typeof sid !== "string") return;
  await db.authSession.updateMany({ where: { id: sid, revokedAt: null }, data: { revokedAt: now } });
}
