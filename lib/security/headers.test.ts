import { describe, expect, it } from "vitest";
import type { NextConfig } from "next";
import { API_CONTENT_SECURITY_POLICY, httpOrigin, pageContentSecurityPolicy, securityHeaders } from "./headers";

describe("security headers", () => {
  it("send HSTS only over https, and the rest always", () => {
    const plain = securityHeaders("default-src 'none'", false);
    expect(plain).toEqual({
      "content-security-policy": "default-src 'none'",
      "x-frame-options": "DENY",
      "x-content-type-options": "nosniff",
      "referrer-policy": "strict-origin-when-cross-origin",
    });
    expect(securityHeaders("default-src 'none'", true)["strict-transport-security"]).toBe(
      "max-age=63072000; includeSubDomains",
    );
  });

  it("let pages run only their own and nonce-carrying scripts, call only this site and the wallet's RPC", () => {
    const policy = pageContentSecurityPolicy({
      nonce: "abc123",
      connectOrigins: httpOrigin("http://127.0.0.1:8545/rpc?key=x"),
      https: false,
    });
    expect(policy).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(policy).toContain("connect-src 'self' http://127.0.0.1:8545;");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(policy).not.toContain("upgrade-insecure-requests");
    expect(httpOrigin("javascript:alert(1)")).toEqual([]);
    expect(httpOrigin(undefined)).toEqual([]);
  });

  it("are the same for API answers and built files in the server's configuration, where no proxy run is needed for them", async () => {
    const configFile: string = "@/next.config.mjs";
    const { default: nextConfig } = (await import(configFile)) as { default: NextConfig };
    const rules = await nextConfig.headers!();
    const fixed = Object.entries(securityHeaders(API_CONTENT_SECURITY_POLICY, false)).map(([key, value]) => ({
      key,
      value,
    }));
    expect(rules).toEqual([
      { source: "/api/:path*", headers: fixed },
      // What the proxy does not run for.
      { source: "/_next/static/:path*", headers: fixed },
      { source: "/favicon.ico", headers: fixed },
    ]);
  });
});
