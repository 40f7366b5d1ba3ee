// Preloaded into the production server (scripts/start.mjs): Next.js keeps an X-Forwarded-For, -Host or
// -Proto that a client sent and fills them from the socket only when absent, so the app cannot tell a client's
// own claim from the truth. Unless TRUST_PROXY=true (a proxy in front sets these headers itself), each request's
// forwarded headers are replaced by what its socket says before Next.js sees it: X-Forwarded-For is the socket's
// address, and -Host and -Proto are dropped. docs/security.md.
//
// Here, too, every answer of a site served over https (AUTH_URL is https, or the trusted proxy says so) gets
// Strict-Transport-Security: answers no route or page writes (an unknown /api path, a method a route lacks) go
// out without the app's own headers, and would go without it.
import { beforeEachRequest } from "./request-hooks.mjs";

const trustProxy = (process.env.TRUST_PROXY ?? "").trim().toLowerCase() === "true";
const siteIsHttps = /^https:/i.test((process.env.AUTH_URL || process.env.APP_URL || "").trim());
/** The value of lib/security/headers.ts's HSTS (scripts/forwarded-headers.test.ts holds them equal). */
const HSTS = "max-age=63072000; includeSubDomains";

beforeEachRequest(function socketsTruth(request, response) {
  if (!trustProxy) {
    request.headers["x-forwarded-for"] = request.socket.remoteAddress ?? "";
    delete request.headers["x-forwarded-host"];
    delete request.headers["x-forwarded-proto"];
    delete request.headers["x-forwarded-port"];
  }
  if (siteIsHttps || request.headers["x-forwarded-proto"] === "https") {
    response.setHeader("strict-transport-security", HSTS);
  }
  return false;
});
