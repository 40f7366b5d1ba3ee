/**
 * The one way a route handler is written: parse and validate (zod) → run the rule from lib/ → map the result or
 * the typed error to HTTP. Every route registers its schemas in the OpenAPI document.
 */
import type { ZodType } from "zod";
import { z, ZodError } from "zod";
import type { AccountCaller, AuthMode, Caller, OperatorCaller } from "@/lib/auth/caller";
import { authenticate } from "@/lib/auth/guard";
import { enforceWriteLimit } from "@/lib/auth/rate-limit";
import { DomainError, ERROR_CODES, type ErrorCode } from "@/lib/errors";
import { errorField, logger } from "@/lib/observability/log";
import { observe } from "@/lib/observability/observe";
import { jsonResponse } from "./json";
import { UNSAFE_STRING_MESSAGE, unsafeStringPath } from "./strings";
import { documentedSchema, ErrorEnvelope, registry } from "./openapi";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * A refusal a route documents: a code of the registry (shown with the registry's example), or an instance of the
 * rule's own error when the route's text is more exact (`new UserNotFound("usr_7Hq2")`).
 */
export type DocumentedError = ErrorCode | DomainError;

export interface RouteConfig<P extends ZodType, Q extends ZodType, B extends ZodType, R extends ZodType = ZodType> {
  method: HttpMethod;
  /** OpenAPI path, e.g. `/api/user/{userId}/referral-stats`. */
  path: string;
  auth: AuthMode;
  summary: string;
  description?: string;
  tags?: string[];
  params?: P;
  query?: Q;
  body?: B;
  /** Documents the success body; not enforced at run time. */
  response?: R;
  /** The success body's media type, `application/json` unless given (the CSV exports). */
  produces?: string;
  /** Success status, 200 unless given. */
  status?: number;
  /**
   * The refusals of this route's own rules. What every route of its kind can answer (invalid input, missing
   * credentials, rate limits, internal errors) is added from `auth`, `params`, `query` and `body`.
   */
  errors?: DocumentedError[];
  /** Shown in the reference; a test parses each with its schema, and a JSON route must show its response. */
  examples?: { request?: z.input<B>; response?: z.input<R> };
  maxBodyBytes?: number;
  /** Writes by an authenticated caller are rate limited (lib/auth/rate-limit) unless this is false. */
  rateLimit?: boolean;
}

export interface RouteContext<P, Q, B, C> {
  request: Request;
  caller: C;
  params: P;
  query: Q;
  body: B;
}

/** A handler may return a body (sent with the route's status) or a full reply. */
export class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers?: Record<string, string>,
  ) {}
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

type Infer<T> = T extends ZodType ? z.output<T> : undefined;
/** What each mode guarantees about the caller (the guard enforces it). */
type CallerFor<M extends AuthMode> = M extends "none" | "metrics"
  ? null
  : M extends "secret"
    ? OperatorCaller
    : M extends "user"
      ? AccountCaller
      : Caller;
type NextRouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

/** A route handler as Next.js calls it, carrying what it declared so tests can check every route's access rules. */
export type RouteHandler = ((request: Request, context: NextRouteContext) => Promise<Response>) & {
  route: { method: HttpMethod; path: string; auth: AuthMode };
};

export function route<
  M extends AuthMode,
  P extends ZodType = never,
  Q extends ZodType = never,
  B extends ZodType = never,
  R extends ZodType = ZodType,
>(
  config: RouteConfig<P, Q, B, R> & { auth: M },
  handler: (ctx: RouteContext<Infer<P>, Infer<Q>, Infer<B>, CallerFor<M>>) => Promise<unknown>,
): RouteHandler {
  register(config);
  const run = async (request: Request, requestId: string, context: NextRouteContext) => {
    try {
      const caller = await authenticate(request, config.auth);
      if (caller && config.method !== "GET" && config.rateLimit !== false) await enforceWriteLimit(caller);
      const params = config.params ? parse(config.params, (await context?.params) ?? {}, "params") : undefined;
      const query = config.query
        ? parse(config.query, Object.fromEntries(new URL(request.url).searchParams), "query")
        : undefined;
      const body = config.body
        ? parse(config.body, await readJsonBody(request, config.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES), "body")
        : undefined;
      const result = await handler({ request, caller, params, query, body } as RouteContext<
        Infer<P>,
        Infer<Q>,
        Infer<B>,
        CallerFor<M>
      >);
      if (result instanceof Response) return result;
      if (result instanceof Reply) return jsonResponse(result.body, { status: result.status, headers: result.headers });
      return jsonResponse(result, { status: config.status ?? 200 });
    } catch (error) {
      return errorResponse(error, requestId);
    }
  };
  const handle = observe({ route: config.path, method: config.method }, run, errorResponse);
  return Object.assign(handle, { route: { method: config.method, path: config.path, auth: config.auth } });
}

export function errorResponse(error: unknown, requestId?: string): Response {
  const refused = inputRefusedByDatabase(error);
  if (refused) return errorResponse(refused, requestId);
  if (error instanceof DomainError) {
    return jsonResponse(
      { error: error.error, message: error.message, code: error.code, ...error.fields },
      { status: error.status, headers: error.headers },
    );
  }
  // Logged with its stack on the server (scrubbed of anything shaped like a credential); the client learns
  // nothing about internals.
  logger().error({ requestId, error: errorField(error) }, "unhandled error in route handler");
  return jsonResponse(
    {
      error: "Internal server error",
      message: "The server could not complete the request; the error was logged.",
      code: "internal_error",
    },
    { status: 500 },
  );
}

/**
 * A database error that the request's input caused (a value too long for its column, out of range, not valid
 * text) is the client's mistake, a 400, not a server error. Checks upstream make these rare.
 */
function inputRefusedByDatabase(error: unknown): DomainError | null {
  const shape = error as {
    code?: unknown;
    cause?: { originalCode?: unknown };
    meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } };
  } | null;
  const code = shape?.code;
  const sqlState = shape?.meta?.driverAdapterError?.cause?.originalCode ?? shape?.cause?.originalCode;
  const byInput =
    (typeof code === "string" && INPUT_ERROR_CODES.has(code)) ||
    (typeof sqlState === "string" && sqlState.startsWith("22"));
  return byInput
    ? new DomainError("invalid_request", "Invalid request", "A value in the request cannot be stored as given")
    : null;
}

// Prisma's codes for a value the column cannot take; SQLSTATE class 22 is PostgreSQL's "data exception".
const INPUT_ERROR_CODES = new Set(["P2000", "P2006", "P2007", "P2019", "P2020", "P2033"]);

function parse<T extends ZodType>(schema: T, value: unknown, where: "params" | "query" | "body"): z.output<T> {
  const unsafe = unsafeStringPath(value);
  if (unsafe) {
    throw new DomainError(
      "invalid_request",
      "Invalid request",
      `${[where, ...unsafe].join(".")}: ${UNSAFE_STRING_MESSAGE}`,
    );
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new DomainError("invalid_request", "Invalid request", describeIssues(result.error, where));
}

export function describeIssues(error: ZodError, where: string): string {
  const shown = error.issues.slice(0, 5).map((issue) => {
    const path = [where, ...issue.path.map(String)].join(".");
    return `${path}: ${issue.message}`;
  });
  const more = error.issues.length > shown.length ? ` (and ${error.issues.length - shown.length} more)` : "";
  return shown.join("; ") + more;
}

async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  const text = await readLimited(request, maxBytes);
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new DomainError("invalid_request", "Invalid request", "body: not valid JSON");
  }
}

/** Reads the body but stops at the limit, so a client lying about (or omitting) Content-Length cannot exhaust memory. */
async function readLimited(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function tooLarge(maxBytes: number): DomainError {
  return new DomainError("body_too_large", "Request body too large", `The body may be at most ${maxBytes} bytes`);
}

const SECURITY: Record<AuthMode, { [scheme: string]: string[] }[] | undefined> = {
  none: undefined,
  secret: [{ apiKey: [] }],
  user: [{ apiKey: [], bearer: [] }, { session: [] }],
  account: [{ apiKey: [], bearer: [] }, { session: [] }, { apiKey: [] }],
  metrics: [{ bearer: [] }, { apiKey: [] }],
};

/** Who can call a route of each kind, and so which refusals of the guard it can answer. */
const GUARD_ERRORS: Record<AuthMode, ErrorCode[]> = {
  none: [],
  secret: ["invalid_api_key"],
  user: ["unauthenticated", "invalid_token", "invalid_api_key"],
  account: ["unauthenticated", "invalid_token", "invalid_api_key", "forbidden"],
  metrics: ["unauthenticated", "invalid_api_key"],
};

/** Every refusal a route can answer: the ones its kind implies, then its own. */
export function routeErrors(config: RouteConfig<ZodType, ZodType, ZodType>): DocumentedError[] {
  const implied: ErrorCode[] = [
    ...(config.params || config.query || config.body ? (["invalid_request"] as const) : []),
    ...(config.body ? (["body_too_large"] as const) : []),
    ...GUARD_ERRORS[config.auth],
    ...(config.method !== "GET" && (config.auth === "user" || config.auth === "account")
      ? (["cross_site_request"] as const)
      : []),
    ...(config.method !== "GET" && config.auth !== "none" && config.rateLimit !== false
      ? (["rate_limited"] as const)
      : []),
  ];
  const own = config.errors ?? [];
  const ownCodes = new Set(own.map((error) => (typeof error === "string" ? error : error.code)));
  return [...implied.filter((code) => !ownCodes.has(code)), ...own, "internal_error"];
}

/** The envelope a refusal answers with, exactly as `errorResponse` writes it. */
export function errorExample(error: DocumentedError): Record<string, unknown> {
  if (typeof error !== "string") {
    return { error: error.error, message: error.message, code: error.code, ...error.fields };
  }
  const { example } = ERROR_CODES[error];
  return { error: example.error, message: example.message, code: error };
}

function errorResponses(config: RouteConfig<ZodType, ZodType, ZodType>) {
  const byStatus = new Map<number, DocumentedError[]>();
  for (const error of routeErrors(config)) {
    const status = ERROR_CODES[typeof error === "string" ? error : error.code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), error]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, errors]) => {
      const examples = Object.fromEntries(
        errors.map((error) => {
          const value = errorExample(error);
          const code = value.code as ErrorCode;
          return [code, { summary: code, description: ERROR_CODES[code].description, value }];
        }),
      );
      const description = errors
        .map((error) => `\`${typeof error === "string" ? error : error.code}\``)
        .filter((code, i, all) => all.indexOf(code) === i)
        .join(", ");
      return [String(status), { description, content: { "application/json": { schema: ErrorEnvelope, examples } } }];
    }),
  );
}

type RegisteredRoute = RouteConfig<ZodType, ZodType, ZodType>;
const registered = ((
  globalThis as unknown as { __documentedRoutes?: Map<string, RegisteredRoute> }
).__documentedRoutes ??= new Map());

/** What each route declared, for the tests that hold the reference to its promises (lib/api/openapi.test.ts). */
export function registeredRoutes(): RegisteredRoute[] {
  return [...registered.values()];
}

function register(config: RegisteredRoute) {
  // A module may be evaluated more than once (tests, dev reloads); document each route once.
  const key = `${config.method} ${config.path}`;
  if (registered.has(key)) return;
  registered.set(key, config);
  const mediaType = config.produces ?? "application/json";
  registry.registerPath({
    method: config.method.toLowerCase() as Lowercase<HttpMethod>,
    path: config.path,
    summary: config.summary,
    description: config.description,
    tags: config.tags,
    security: SECURITY[config.auth],
    request: {
      params: config.params as never,
      query: config.query as never,
      body: config.body
        ? {
            content: {
              "application/json": { schema: documentedSchema(config.body), example: config.examples?.request },
            },
            required: true,
          }
        : undefined,
    },
    responses: {
      [String(config.status ?? 200)]: {
        description: "Success",
        content: config.response
          ? { [mediaType]: { schema: config.response, example: config.examples?.response } }
          : undefined,
      },
      ...errorResponses(config),
    },
  });
}
