// Auth.js's own endpoints (sign-in, callback, session, CSRF, sign-out); documented by Auth.js, not in our OpenAPI.
// Not written with route(), so wrapped here for what every request gets: a request id, a log line and metrics.
import type { NextRequest } from "next/server";
import { errorResponse } from "@/lib/api/route";
import { handlers } from "@/lib/auth/nextauth";
import { observe } from "@/lib/observability/observe";

const ROUTE = "/api/auth/[...nextauth]";

export const GET = observe(
  { route: ROUTE, method: "GET" },
  (request) => handlers.GET(request as NextRequest),
  errorResponse,
);
export const POST = observe(
  { route: ROUTE, method: "POST" },
  (request) => handlers.POST(request as NextRequest),
  errorResponse,
);
