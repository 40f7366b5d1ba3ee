// Any /api path that is no route (every real route is more specific, so it wins): the API's own 404 envelope, with
// a request id, a log line and a metrics sample like every other API answer. Without it Next.js answers its HTML
// not-found page, which carries none of them.
import { errorResponse } from "@/lib/api/route";
import { DomainError } from "@/lib/errors";
import { observe } from "@/lib/observability/observe";

export const dynamic = "force-dynamic";

/** One label value for every unknown path, so a scan of random paths cannot grow the metrics. */
const ROUTE = "/api/[...path]";

function notFound(method: string) {
  return observe(
    { route: ROUTE, method },
    async (_request, requestId) =>
      errorResponse(new DomainError("not_found", "Not found", "No API route here: see /api/openapi.json"), requestId),
    errorResponse,
  );
}

export const GET = notFound("GET");
export const POST = notFound("POST");
export const PUT = notFound("PUT");
export const PATCH = notFound("PATCH");
export const DELETE = notFound("DELETE");
