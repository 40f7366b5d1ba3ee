import { describe, expect, it } from "vitest";
import { httpOrigin, pageContentSecurityPolicy, securityHeaders } from "./headers";

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
});
