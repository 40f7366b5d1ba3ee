/**
 * Throttles of the routes anyone may call (docs/security.md):
 * - password sign-in, per email: once 10 attempts have failed within 15 minutes, every sign-in for that email is
 *   refused, the right password included, until the oldest of those 10 is 15 minutes old. Failures are rows in
 *   PostgreSQL, so every instance sees them, with or without Redis.
 * - the SIWE nonce and sign-up, per client address: at most 60 in any minute each (a sliding window), in the write
 *   limiter's store (Redis when REDIS_URL is set, so shared by every instance; else per instance).
 * The client address is the socket's; behind a proxy (TRUST_PROXY=true) the last hop of X-Forwarded-For, the
 * address the proxy saw. The production server (scripts/forwarded-headers.mjs) puts the socket's address there
 * when the proxy is not trusted.
 */
import "server-only";
import type { Db } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import { admitEvent, RateLimited } from "./rate-limit";

export const PASSWORD_FAILURES_ALLOWED = 10;
export const PASSWORD_FAILURE_WINDOW_MS = 15 * 60 * 1000;
export const CLIENT_LIMIT_PER_MINUTE = 60;

export class TooManyFailedSignIns extends DomainError {
  constructor(readonly until: Date) {
    super(
      "rate_limited",
      "Too many requests",
      `Too many failed sign-ins for this email; try again after ${until.toISOString()}`,
      {
        headers: { "retry-after": String(Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000))) },
      },
    );
  }
}

/** When password sign-in for `email` opens again, or null when it is open now. */
export async function passwordSignInBlockedUntil(db: Db, email: string, now: Date = new Date()): Promise<Date | null> {
  const recent = await db.signInFailure.findMany({
    where: { email, failedAt: { gt: new Date(now.getTime() - PASSWORD_FAILURE_WINDOW_MS) } },
    orderBy: { failedAt: "desc" },
    take: PASSWORD_FAILURES_ALLOWED,
    select: { failedAt: true },
  });
  if (recent.length < PASSWORD_FAILURES_ALLOWED) return null;
  return new Date(recent[recent.length - 1]!.failedAt.getTime() + PASSWORD_FAILURE_WINDOW_MS);
}

export async function recordPasswordFailure(db: Db, email: string, now: Date = new Date()): Promise<void> {
  await db.signInFailure.create({ data: { email, failedAt: now } });
  await db.signInFailure.deleteMany({
    where: { email, failedAt: { lt: new Date(now.getTime() - PASSWORD_FAILURE_WINDOW_MS) } },
  });
}

/** A successful sign-in forgets the email's failures. */
export async function clearPasswordFailures(db: Db, email: string): Promise<void> {
  await db.signInFailure.deleteMany({ where: { email } });
}

/** The address a request came from (see above); "unknown" when none was recorded. */
export function clientAddress(headers: Headers): string {
  const hops = (headers.get("x-forwarded-for") ?? "").split(",").map((hop) => hop.trim());
  return hops[hops.length - 1] || "unknown";
}

/**
 * Admits one `action` by the request's client address; RateLimited (429 + Retry-After) once 60 were admitted in the
 * last minute, whenever that minute started: a sliding window, so no burst around a clock minute's end gets more.
 */
export async function enforceClientLimit(headers: Headers, action: "siwe-nonce" | "sign-up"): Promise<void> {
  const admission = await admitEvent(`client:${action}:${clientAddress(headers)}`, CLIENT_LIMIT_PER_MINUTE, 60_000);
  if (!admission.admitted) throw new RateLimited(Math.max(1, Math.ceil(admission.retryInMs / 1000)));
}
