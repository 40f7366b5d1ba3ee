/**
 * Reads the next-auth (Auth.js) session cookie of a request. Sessions are JWTs signed with AUTH_SECRET whose
 * subject is the account id and whose `sid` names a live server-side session (lib/auth/sessions.ts), so any route
 * handler can resolve the caller from the raw Request, and a signed-out cookie resolves to nobody.
 */
import "server-only";
import { getToken } from "next-auth/jwt";
import { getPrisma } from "@/lib/db/client";
import { isSessionLive } from "./sessions";
import { siteUrl, trustProxy } from "./site";

const SESSION_COOKIE = "authjs.session-token";

/** next-auth names the cookie __Secure-… on https, judged as next-auth judges it: by AUTH_URL when set. */
function isHttps(request: Request): boolean {
  const site = siteUrl();
  if (site) return site.protocol === "https:";
  const forwarded = trustProxy() ? request.headers.get("x-forwarded-proto") : null;
  return (forwarded ?? new URL(request.url).protocol.replace(":", "")) === "https";
}

export async function sessionAccountId(request: Request): Promise<string | null> {
  if (!request.headers.get("cookie")?.includes(SESSION_COOKIE)) return null;
  const token = await getToken({ req: request, secret: process.env.AUTH_SECRET, secureCookie: isHttps(request) });
  if (typeof token?.sub !== "string" || token.sub.length === 0) return null;
  return (await isSessionLive(getPrisma(), token.sid, token.sub)) ? token.sub : null;
}
