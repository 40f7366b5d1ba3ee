/**
 * JSON responses that carry exact decimals. The seeds' contract renders amounts as JSON numbers; a Decimal is
 * written as its exact digits (1.155, 0.303) instead of going through a binary float, so the wire never
 * rounds what the ledger holds.
 */
import { randomBytes } from "node:crypto";
import { Decimal } from "@/lib/money";

const MARK = `@@decimal-${randomBytes(6).toString("hex")}:`;
const MARKED = new RegExp(`"${MARK}(-?[0-9]+(?:\\.[0-9]+)?)"`, "g");

export function stringifyExact(value: unknown): string {
  return JSON.stringify(value, function replacer(this: Record<string, unknown>, key: string, v: unknown) {
    // JSON.stringify calls toJSON before the replacer, so look at the holder's original value.
    const original = this[key];
    if (original instanceof Decimal) return MARK + original.toFixed();
    if (typeof v === "bigint") return MARK + v.toString();
    return v;
  }).replace(MARKED, "$1");
}

/**
 * Below this, Next.js's gzip stream costs more than the bytes it saves. Measured on a referral-stats answer
 * (≈ 3.6 kB, 0.45 kB gzipped), 8 concurrent clients on 2 cores: 2.1 ms of server CPU per request uncompressed against
 * 2.4–2.8 ms gzipped, 390–410 against 285–315 answers/s (docs/benchmarks.md). A network page of 20 members goes
 * out plain too; answers of many rows (100-member network pages, long lists) and exports are still compressed.
 */
export const COMPRESS_FROM_BYTES = 8 * 1024;

/**
 * A small answer says `no-transform`, so Next.js leaves it as it is: Next.js gzips every route answer through a
 * stream of its own (it drops the answer's length, so it cannot tell a small body from a large one), which cost
 * ≈ 0.5–0.7 ms of CPU per request — more than the engine's own work for a lone event — to save a few kB.
 * (A route cannot gzip its own answer instead: Next.js drops its Content-Encoding as well.) `no-transform` asks
 * proxies to leave the body alone too; on a LAN or behind a load balancer a few kB cost less than the CPU.
 */
export function jsonResponse(body: unknown, init?: { status?: number; headers?: Record<string, string> }): Response {
  const text = stringifyExact(body);
  const small = text.length < COMPRESS_FROM_BYTES && Buffer.byteLength(text) < COMPRESS_FROM_BYTES;
  return new Response(text, {
    status: init?.status ?? 200,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "cache-control": small ? "no-store, no-transform" : "no-store",
      ...init?.headers,
    },
  });
}
