/**
 * Calls a route handler in-process with a real Request, the way Next.js does, and returns status and JSON:
 * integration tests exercise the same code path as HTTP without a server.
 */
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

export interface CallOptions {
  method?: string;
  /** Path and query, e.g. `/api/referral-fees/entries?limit=5`. */
  path?: string;
  params?: Record<string, string>;
  headers?: Record<string, string>;
  /** Sent as JSON unless a string. */
  body?: unknown;
}

// Tests read arbitrary response shapes; `any` keeps their assertions free of casts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface CallResult<T = any> {
  status: number;
  headers: Headers;
  text: string;
  json: T;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function call<T = any>(handler: Handler, options: CallOptions = {}): Promise<CallResult<T>> {
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === "string"
        ? options.body
        : JSON.stringify(options.body);
  const request = new Request(`http://127.0.0.1${options.path ?? "/"}`, {
    method: options.method ?? (body === undefined ? "GET" : "POST"),
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...options.headers },
    body,
  });
  const response = await handler(request, { params: Promise.resolve(options.params ?? {}) });
  // An event stream does not end by itself: the status and headers are what a call can check.
  const stream = response.headers.get("content-type")?.startsWith("text/event-stream");
  const text = stream ? (await response.body?.cancel(), "") : await response.text();
  let json: T;
  try {
    json = JSON.parse(text) as T;
  } catch {
    json = undefined as T;
  }
  return { status: response.status, headers: response.headers, text, json };
}
