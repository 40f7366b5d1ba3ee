/**
 * Account ids are the referral codes (`usr_…`, `prov_…`). They are published, so they must be unguessable:
 * 20 base62 characters from the OS's CSPRNG (about 119 bits), never sequential.
 */
import { randomBytes } from "node:crypto";
import type { EarnerKind } from "@/lib/rewards/rules";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ID_LENGTH = 20;
// The largest multiple of 62 below 256: bytes at or above it are skipped so every character is equally likely.
const UNBIASED_LIMIT = 248;

export const ID_PREFIX: Record<EarnerKind, string> = { USER: "usr_", PROVIDER: "prov_" };

export function newAccountId(kind: EarnerKind): string {
  let body = "";
  while (body.length < ID_LENGTH) {
    for (const byte of randomBytes(ID_LENGTH * 2)) {
      if (byte >= UNBIASED_LIMIT) continue;
      body += ALPHABET[byte % 62];
      if (body.length === ID_LENGTH) break;
    }
  }
  return ID_PREFIX[kind] + body;
}
