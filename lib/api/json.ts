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

export function jsonResponse(body: unknown, init?: { status?: number; headers?: Record<string, string> }): Response {
  return new Response(stringifyExact(body), {
    status: init?.status ?? 200,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...init?.headers },
  });
}
