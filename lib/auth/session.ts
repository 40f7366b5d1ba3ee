/**
 * Reads the next-auth (Auth.js) session cookie of a request. Sessions are JWTs signed with AUTH_SECRET whose
 * subject is the account id, so any route handler can resolve the caller from the raw Request.
 */
import "server-only";
import { getToken } from "next-auth/jwt";

const SESSION_COOKIE = "authjs.session-token";

function isHttps(request: Request): boolean {
  const forwarded = request.headers.get("x-forwarded-proto");
  return (forwarded ?? new URL(request.url).protocol.replace(":", "")) === "https";
}

export async function sessionAccountId(request: Request): Promise<string | null> {
  if (!request.headers.get("cookie")?.includes(SESSION_COOKIE)) return null;
  const token = await getToken({ req: request, secret: process.env.AUTH_SECRET, secureCookie: isHttps(request) });
  return typeof token?.sub === "string" && token.sub.length > 0 ? token.sub : null;
}
