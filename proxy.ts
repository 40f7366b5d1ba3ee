/**
 * Runs before every page request (Next.js proxy): a fresh CSP nonce for pages, which Next.js reads from the
 * request's Content-Security-Policy and stamps on its scripts, and the security headers on every page
 * (docs/security.md). API answers get theirs without a proxy run (next.config.mjs, lib/observability/observe.ts).
 */
import { NextResponse, type NextRequest } from "next/server";
import { servedOverHttps } from "@/lib/auth/site";
import { walletConfig } from "@/lib/auth/wallet-config";
import { httpOrigin, pageContentSecurityPolicy, securityHeaders } from "@/lib/security/headers";

export function proxy(request: NextRequest) {
  const https = servedOverHttps(request);
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const policy = pageContentSecurityPolicy({ nonce, connectOrigins: httpOrigin(walletConfig().rpcUrl), https });
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  for (const [name, value] of Object.entries(securityHeaders(policy, https))) response.headers.set(name, value);
  return response;
}

export const config = {
  // Built assets are immutable files; API answers get their headers without a proxy run; pages get them here.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|api/).*)"],
};
