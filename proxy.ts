/**
 * Runs before every request (Next.js proxy): a fresh CSP nonce for pages, which Next.js reads from the request's
 * Content-Security-Policy and stamps on its scripts, and the security headers on every answer (docs/security.md).
 */
import { NextResponse, type NextRequest } from "next/server";
import { siteUrl, trustProxy } from "@/lib/auth/site";
import { walletConfig } from "@/lib/auth/wallet-config";
import {
  API_CONTENT_SECURITY_POLICY,
  httpOrigin,
  pageContentSecurityPolicy,
  securityHeaders,
} from "@/lib/security/headers";

function servedOverHttps(request: NextRequest): boolean {
  if (siteUrl()?.protocol === "https:") return true;
  if (trustProxy()) return request.headers.get("x-forwarded-proto") === "https";
  return request.nextUrl.protocol === "https:";
}

export function proxy(request: NextRequest) {
  const https = servedOverHttps(request);
  if (request.nextUrl.pathname.startsWith("/api/")) {
    const response = NextResponse.next();
    for (const [name, value] of Object.entries(securityHeaders(API_CONTENT_SECURITY_POLICY, https))) {
      response.headers.set(name, value);
    }
    return response;
  }
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
  // Built assets are immutable files; everything else, pages and API alike, gets the headers.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
