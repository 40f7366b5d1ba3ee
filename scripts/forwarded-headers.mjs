// Preloaded into the production server (scripts/next-server.ts): Next.js keeps an X-Forwarded-For, -Host or
// -Proto that a client sent and fills them from the socket only when absent, so the app cannot tell a client's
// own claim from the truth. Unless TRUST_PROXY=true (a proxy in front sets these headers itself), each request's
// forwarded headers are replaced by what its socket says before Next.js sees it: X-Forwarded-For is the socket's
// address, and -Host and -Proto are dropped. docs/security.md.
import http from "node:http";

const trustProxy = (process.env.TRUST_PROXY ?? "").trim().toLowerCase() === "true";
const createServer = http.createServer;

http.createServer = function createServerWithSocketAddresses(...args) {
  const at = args.findIndex((arg) => typeof arg === "function");
  if (!trustProxy && at >= 0) {
    const listener = args[at];
    args[at] = function onRequest(request, response) {
      request.headers["x-forwarded-for"] = request.socket.remoteAddress ?? "";
      delete request.headers["x-forwarded-host"];
      delete request.headers["x-forwarded-proto"];
      delete request.headers["x-forwarded-port"];
      return listener.call(this, request, response);
    };
  }
  return createServer.apply(this, args);
};
