/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages with native or wasm parts are loaded from node_modules at run time, not bundled.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "@electric-sql/pglite", "@electric-sql/pglite-socket", "solc"],
  // API answers get their security headers here, where the router adds them for free, rather than from the proxy
  // (proxy.ts), whose run cost every request about as much CPU as the engine's own work. The same values as
  // securityHeaders(API_CONTENT_SECURITY_POLICY) in lib/security/headers.ts (its test holds them equal); HSTS,
  // which depends on the request, is added by lib/observability/observe.ts.
  // Files the proxy does not run for (built assets, the favicon) carry the same: they render and run nothing.
  async headers() {
    const fixed = [
      { key: "content-security-policy", value: "default-src 'none'; frame-ancestors 'none'" },
      { key: "x-frame-options", value: "DENY" },
      { key: "x-content-type-options", value: "nosniff" },
      { key: "referrer-policy", value: "strict-origin-when-cross-origin" },
    ];
    return [
      { source: "/api/:path*", headers: fixed },
      { source: "/_next/static/:path*", headers: fixed },
      { source: "/favicon.ico", headers: fixed },
      // HSTS for API answers that no route handler writes (an unknown path, a method the route lacks) behind a
      // trusted proxy that says the request came over https; X-Forwarded-Proto reaches the app only with
      // TRUST_PROXY=true (scripts/forwarded-headers.mjs). Route handlers add it themselves, also when AUTH_URL is https.
      {
        source: "/api/:path*",
        has: [{ type: "header", key: "x-forwarded-proto", value: "https" }],
        headers: [{ key: "strict-transport-security", value: "max-age=63072000; includeSubDomains" }],
      },
    ];
  },
};

export default nextConfig;
