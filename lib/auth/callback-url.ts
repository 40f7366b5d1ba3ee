/**
 * Where to go after sign-in: only a path on this site, so a crafted link (`?callbackUrl=/%09/evil.example`,
 * `//evil.example`, `/\evil.example`) cannot send a user elsewhere. The value is resolved with the URL parser
 * against a placeholder origin, as a browser would resolve it; control characters and backslashes, which browsers
 * strip or read as slashes, are refused outright. Anything else goes to the dashboard.
 */
const HOME = "/dashboard";
const PLACEHOLDER = "http://same-site.invalid";

export function safeCallbackUrl(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/")) return HOME;
  if (/[\u0000-\u001f\u007f\\]/.test(value) || /[\uD800-\uDFFF]/.test(value)) return HOME;
  let url: URL;
  try {
    url = new URL(value, PLACEHOLDER);
  } catch {
    return HOME;
  }
  // "/.//evil.example" resolves to the path "//evil.example", which a browser reads as another host.
  if (url.origin !== PLACEHOLDER || url.pathname.startsWith("//")) return HOME;
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * Auth.js's `redirect` callback: where its own endpoints send the browser after sign-in or sign-out (the
 * `callbackUrl` field, query parameter or cookie of a request to /api/auth/…), by the same rule as the sign-in page;
 * a full URL on this site counts as its path. The answer is absolute (Auth.js and its client read it as a URL) and on
 * the configured origin, so a browser on 127.0.0.1 is not sent to `localhost`, the name Next.js gives every
 * loopback request and so Auth.js's `baseUrl` on a loopback site.
 * @param site this deployment's URL (AUTH_URL, else APP_URL); without one, Auth.js's `baseUrl`
 */
export function authRedirect(url: string, baseUrl: string, site: URL | null): string {
  const origin = site?.origin ?? baseUrl;
  let path = url;
  if (!url.startsWith("/")) {
    try {
      const parsed = new URL(url);
      const here = parsed.origin === origin || parsed.origin === baseUrl;
      path = here ? `${parsed.pathname}${parsed.search}${parsed.hash}` : HOME;
    } catch {
      path = HOME;
    }
  }
  return `${origin}${safeCallbackUrl(path)}`;
}
