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
