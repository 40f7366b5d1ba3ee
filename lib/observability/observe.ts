/**
 * What every request goes through on its way in and out, whatever handles it: an id (`x-request-id`, taken
 * from the request when plausible, else made) returned on the response, one JSON log line, and one observation
 * of `http_request_duration_seconds` labelled with the route's template path. `route()` wraps every API handler
 * in it; handlers that are not written with `route()` (Auth.js's) are wrapped directly.
 */
import "server-only";
import { servedOverHttps } from "@/lib/auth/site";
import { HSTS } from "@/lib/security/headers";
import { errorField, logger, requestIdOf } from "./log";
import { metrics } from "./metrics";

export interface Observed {
  /** The route's template path, e.g. `/api/user/{userId}/referral-stats`: one label value per route. */
  route: string;
  method: string;
}

/** Called when the handler threw: the response to send (the 500 envelope), given the error. */
type OnError = (error: unknown, requestId: string) => Response;

export function observe<A extends unknown[]>(
  what: Observed,
  handler: (request: Request, requestId: string, ...rest: A) => Promise<Response>,
  onError: OnError,
): (request: Request, ...rest: A) => Promise<Response> {
  return async (request, ...rest) => {
    const started = performance.now();
    const requestId = requestIdOf(request);
    let response: Response;
    let failure: unknown;
    try {
      response = await handler(request, requestId, ...rest);
    } catch (error) {
      failure = error;
      response = onError(error, requestId);
    }
    response = withHeader(response, "x-request-id", requestId);
    // The other security headers of API answers come from next.config.mjs; this one depends on the request.
    if (servedOverHttps(request)) response = withHeader(response, "strict-transport-security", HSTS);
    const seconds = (performance.now() - started) / 1000;
    const status = response.status;
    metrics().httpRequestDuration.observe({ method: what.method, route: what.route, status: String(status) }, seconds);
    const line = {
      requestId,
      method: what.method,
      route: what.route,
      status,
      durationMs: Math.round(seconds * 1000 * 10) / 10,
      ...(failure === undefined ? {} : { error: errorField(failure) }),
    };
    if (status >= 500) logger().error(line, "request failed");
    else logger().info(line, "request");
    return response;
  };
}

/** Responses built elsewhere (Response.redirect, a fetched body) may have immutable headers: copy those. */
function withHeader(response: Response, name: string, value: string): Response {
  try {
    response.headers.set(name, value);
    return response;
  } catch {
    const headers = new Headers(response.headers);
    headers.set(name, value);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}
