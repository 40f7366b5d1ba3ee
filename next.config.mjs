/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages with native or wasm parts are loaded from node_modules at run time, not bundled.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "@electric-sql/pglite", "@electric-sql/pglite-socket", "solc"],
  // API answers get their security headers here, where the router adds them for free, rather than from the proxy
  // (proxy.ts), whose run cost every request about as much CPU as the engine's own work. The same values as
  // securityHeaders(API_CONTENT_SECURITY_POLICY) in lib/security/headers.ts (its test holds them equal); HSTS,
  // which depends on the request, is added by lib/observability/observe.ts and, for answers no route writes, by the
  // production server (scripts/forwarded-headers.mjs).
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
    ];
  },
};

export default nextConfig;
