/**
 * Cross-site request forgery: a browser sends the session cookie with any request to this site, whoever's page
 * made it. A write authenticated by that cookie is therefore accepted only as JSON (which a page on another site
 * cannot send without CORS, which this app never grants) and from this site's own origin. Bearer-token calls carry
 * no ambient credential and are not concerned. docs/security.md.
 */
import "server-only";
import { DomainError } from "@/lib/errors";
import { siteUrl } from "./site";

export class CrossSiteRequest extends DomainError {
  constructor(message: string) {
    super("cross_site_request", "Forbidden", message);
  }
}

const READS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The origins a same-site request may come from: the configured site, and the one the request was sent to. */
function ownOrigins(request: Request): string[] {
  return [siteUrl()?.origin, new URL(request.url).origin].filter((o): o is string => o !== undefined);
}

/** Refuses (403) a session-authenticated write that is not JSON from this site. */
export function assertSameSiteWrite(request: Request): void {
  if (READS.has(request.method.toUpperCase())) return;
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") {
    throw new CrossSiteRequest("A write with a browser session must send Content-Type: application/json");
  }
  const origin = request.headers.get("origin");
  const sameSite =
    origin !== null ? ownOrigins(request).includes(origin) : request.headers.get("sec-fetch-site") === "same-origin";
  if (!sameSite) {
    throw new CrossSiteRequest("A write with a browser session must come from this site (Origin)");
  }
}
