/**
 * This deployment's own address, from configuration only: `AUTH_URL`, else `APP_URL`. A Sign-In with Ethereum
 * message must name its host and origin, and browser writes must come from its origin. Request headers never
 * decide it: a phishing site can send any `Host` or `X-Forwarded-Host` it likes (docs/security.md).
 */
import "server-only";
import { DomainError } from "@/lib/errors";

export type Env = Readonly<Record<string, string | undefined>>;

export class SiteUrlMissing extends DomainError {
  constructor() {
    super(
      "siwe_unavailable",
      "Sign-In with Ethereum unavailable",
      "This deployment does not know its own address: the operator must set AUTH_URL (or APP_URL)",
    );
  }
}

/** The configured URL of the site, or null when neither variable is set. */
export function siteUrl(env: Env = process.env): URL | null {
  const raw = env.AUTH_URL?.trim() || env.APP_URL?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`AUTH_URL / APP_URL must be an absolute URL such as https://rewards.example.com, got "${raw}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`AUTH_URL / APP_URL must be an http(s) URL, got "${raw}"`);
  }
  return url;
}

/** `TRUST_PROXY=true`: the app runs behind a proxy that sets X-Forwarded-For/-Host/-Proto itself. */
export function trustProxy(env: Env = process.env): boolean {
  return env.TRUST_PROXY?.trim().toLowerCase() === "true";
}

/** The request reached the site over https: the configured site is https, or the trusted proxy says so. */
export function servedOverHttps(request: Request, env: Env = process.env): boolean {
  if (siteUrl(env)?.protocol === "https:") return true;
  if (trustProxy(env)) return request.headers.get("x-forwarded-proto") === "https";
  return new URL(request.url).protocol === "https:";
}
