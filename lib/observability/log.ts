/**
 * Structured logs: one JSON object per line (pino), on stdout unless LOG_FILE names a file (the test runs use
 * one, and a check reads it afterwards). LOG_LEVEL sets the threshold (default `info`).
 *
 * No key, token, password or secret reaches a log line, by construction: request lines carry only fields chosen
 * here (never headers, bodies or query strings), and every free text that could echo input — an error's message
 * and stack — goes through `scrub`, which masks whatever has the shape of a credential.
 */
import "server-only";
import pino, { type Logger } from "pino";

function createLogger(): Logger {
  const options: pino.LoggerOptions = {
    level: process.env.LOG_LEVEL ?? "info",
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  const file = process.env.LOG_FILE;
  return file ? pino(options, pino.destination({ dest: file, append: true, mkdir: true, sync: true })) : pino(options);
}

const globalForLog = globalThis as typeof globalThis & { __referralEngineLogger?: Logger };

/** The process's logger (one per process even if Next.js evaluates this module more than once). */
export function logger(): Logger {
  return (globalForLog.__referralEngineLogger ??= createLogger());
}

const CREDENTIAL_SHAPES: RegExp[] = [
  // API keys and webhook secrets: sk_…, pk_…, whsec_…
  /\b(?:sk|pk|whsec)_[A-Za-z0-9_+/=-]{6,}/g,
  // JWTs and JWS (bearer tokens, session cookies): three base64url parts, the first a JSON header.
  /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g,
  // A bearer credential, whatever it looks like.
  /\b(Bearer)\s+[^\s"',;]+/gi,
  // The password of a connection URL: scheme://user:password@host
  /(?<=\/\/[^/\s:@]*:)[^@\s/]+(?=@)/g,
  // key=value or "key": "value" pairs whose name says secret.
  /(?<=\b(?:password|passwd|secret|token|private[_-]?key|api[_-]?key)["']?\s*[:=]\s*["']?)[^\s"',;&]+/gi,
  // A 32-byte hex string: private keys, AUTH_SECRET.
  /\b(?:0x)?[0-9a-fA-F]{64}\b/g,
];

/** The text with everything shaped like a credential replaced by `[redacted]`. */
export function scrub(text: string): string {
  let out = text;
  for (const shape of CREDENTIAL_SHAPES) {
    out = out.replace(shape, (match, bearer?: unknown) =>
      typeof bearer === "string" && /^bearer$/i.test(bearer) ? `${bearer} [redacted]` : "[redacted]",
    );
  }
  return out;
}

/** An error as a log field: its name, and its message and stack scrubbed. */
export function errorField(error: unknown): { type: string; message: string; stack?: string } {
  if (error instanceof Error) {
    return {
      type: error.name,
      message: scrub(error.message),
      stack: error.stack ? scrub(error.stack) : undefined,
    };
  }
  return { type: typeof error, message: scrub(String(error)) };
}

/** Visible ASCII without quotes, backslashes or angle brackets: whatever a proxy or client uses as an id. */
const REQUEST_ID = /^[!#-&(-;=?-[\]-_a-~]{1,128}$/;
const LOOKS_LIKE_CREDENTIAL = /^(?:sk_|pk_|whsec_|eyJ)/i;

/**
 * The request's id: the caller's `x-request-id` when it is a plausible id (1–128 visible ASCII characters other
 * than quotes, backslashes, backticks and angle brackets, and nothing shaped like a key or token, since it is
 * logged), else a new UUID.
 */
export function requestIdOf(request: Request): string {
  const given = request.headers.get("x-request-id")?.trim();
  if (given && REQUEST_ID.test(given) && !LOOKS_LIKE_CREDENTIAL.test(given)) return given;
  return crypto.randomUUID();
}
