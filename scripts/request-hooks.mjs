// The production server's own steps before Next.js sees a request (scripts/start.mjs preloads the modules that
// register them). `next start` makes its server with http.createServer, so the listener of every server made once
// this module is loaded is wrapped, one time, to run each hook given to beforeEachRequest first, in the order they
// were given. A hook that answers the request itself returns true, and nothing after it sees the request.
import http from "node:http";

const hooks = [];

/** @param {(request: http.IncomingMessage, response: http.ServerResponse) => boolean} hook */
export function beforeEachRequest(hook) {
  hooks.push(hook);
}

const createServer = http.createServer;

http.createServer = function createServerWithRequestHooks(...args) {
  const at = args.findIndex((arg) => typeof arg === "function");
  if (at >= 0) {
    const listener = args[at];
    args[at] = function onRequest(request, response) {
      for (const hook of hooks) if (hook(request, response)) return;
      return listener.call(this, request, response);
    };
  }
  return createServer.apply(this, args);
};
