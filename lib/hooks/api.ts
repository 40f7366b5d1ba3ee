/**
 * How the hooks reach the API. In this app's own pages the browser session cookie authenticates every
 * same-origin request, so no header is needed. A separate front end that holds a user's bearer token (from
 * POST /api/auth/token) and a publishable key registers them once with `setApiCredentials`, and every hook
 * sends both headers, as the seed's `getHeaders()` does.
 */
import { ERROR_CODES, type ErrorCode } from "@/lib/errors";

export const apiUrl = process.env.NEXT_PUBLIC_API_URL ?? "";

let credentials: { token: string; apiKey: string } | null = null;

export function setApiCredentials(value: { token: string; apiKey: string } | null): void {
  credentials = value;
}

export function getHeaders(): Record<string, string> {
  return {
    "Content-Type": "application/json",
    ...(credentials ? { Authorization: `Bearer ${credentials.token}`, "x-api-key": credentials.apiKey } : {}),
  };
}

/** The API's error envelope; `status` is the HTTP status. Branch on `code` (docs/api.md, Errors), never on text. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | undefined,
    readonly error: string,
    readonly detail: string | undefined,
    /** The envelope's additive fields, e.g. `nextClaimDate` of `claim_cooldown`. */
    readonly fields: Readonly<Record<string, unknown>> = {},
  ) {
    super(error);
  }
}

/** Reads the `{error, message, code}` envelope of a failed response, whatever it holds. */
export async function apiError(res: Response, fallback: string): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  const { error, message, code, ...fields } = body ?? {};
  return new ApiError(
    res.status,
    typeof code === "string" && code in ERROR_CODES ? (code as ErrorCode) : undefined,
    typeof error === "string" ? error : fallback,
    typeof message === "string" ? message : undefined,
    fields,
  );
}

/**
 * Calls `path` of this API with the hooks' credentials and answers its JSON; a refusal throws its envelope as an
 * ApiError (`failure` the text when it has none). A GET unless `init` says otherwise.
 */
export async function fetchJson<T>(path: string, failure: string, init: { method?: "POST"; body?: unknown } = {}) {
  const res = await fetch(`${apiUrl}${path}`, {
    method: init.method,
    headers: getHeaders(),
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (!res.ok) throw await apiError(res, failure);
  return (await res.json()) as T;
}

/**
 * Dashboards show new earnings within 5 s without a reload (docs/dashboards.md): every dashboard query polls this
 * often. Shorter than the promise, so a poll that starts just before the earnings land still has a second for its
 * request and render.
 */
export const LIVE_REFETCH_MS = 4_000;
