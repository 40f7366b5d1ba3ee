/**
 * The security headers of every response (docs/security.md): a Content-Security-Policy whose scripts are this
 * site's own and those carrying the request's nonce (Next.js stamps it on its own scripts), no framing, no MIME
 * sniffing, a referrer that never leaks paths to other sites, and HSTS when the site is served over https.
 */
export interface PagePolicyOptions {
  /** Fresh for every request. */
  nonce: string;
  /** Origins the browser may call besides this site: the wallet's RPC. */
  connectOrigins: string[];
  https: boolean;
}

export function pageContentSecurityPolicy(options: PagePolicyOptions): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic': a script the nonce allowed may load the chunks it needs; nothing else runs.
    `script-src 'self' 'nonce-${options.nonce}' 'strict-dynamic'`,
    // Inline style attributes (charts, React's style prop) are not scripts; CSS cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    ["connect-src 'self'", ...options.connectOrigins].join(" "),
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(options.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** JSON and other API answers render nothing and run nothing. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

export const HSTS = "max-age=63072000; includeSubDomains";

export function securityHeaders(contentSecurityPolicy: string, https: boolean): Record<string, string> {
  return {
    "content-security-policy": contentSecurityPolicy,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    ...(https ? { "strict-transport-security": HSTS } : {}),
  };
}

/** The origin of a URL, or nothing for one that is not http(s) (an unset or malformed RPC URL). */
export function httpOrigin(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? [parsed.origin] : [];
  } catch {
    return [];
  }
}
