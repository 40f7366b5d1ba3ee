// Preloaded into the production server (scripts/start.mjs), after forwarded-headers.mjs: a request whose path is not
// valid percent-encoded UTF-8 (`/api/user/%ED%A0%80/referral-stats`, the bytes of a lone surrogate; `/r/%`) is
// answered 400 here, naming the path. Next.js cannot decode such a path into a route's parameters and, failing to
// render its error page for that, answers 500 "Internal Server Error" without the security headers. Invalid input
// is a 400, never a 500 (docs/security.md).
import nextConfig from "../next.config.mjs";
import { beforeEachRequest } from "./request-hooks.mjs";

// The headers every API answer carries, from the one place they are configured.
const apiHeaders = Object.fromEntries(
  (await nextConfig.headers())
    .find((rule) => rule.source === "/api/:path*" && !rule.has)
    .headers.map(({ key, value }) => [key, value]),
);

/** True when the path of a request target decodes to text. */
export function decodablePath(target) {
  const path = (target ?? "/").split("?")[0];
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

const body = JSON.stringify({
  error: "Invalid request",
  message: "path: not valid percent-encoded UTF-8",
  code: "invalid_request",
});

beforeEachRequest(function refuseMalformedPath(request, response) {
  if (decodablePath(request.url)) return false;
  response.writeHead(400, {
    ...apiHeaders,
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    "content-length": Buffer.byteLength(body),
  });
  response.end(body);
  return true;
});
