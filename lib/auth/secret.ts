import "server-only";
import { hkdfSync } from "node:crypto";

/**
 * Keys derived from AUTH_SECRET, one per purpose, so the API's bearer tokens and next-auth's session cookies
 * never share key material.
 */
export function derivedKey(purpose: string): Uint8Array {
  const secret = process.env.AUTH_SECRET;
  if (!secret || secret.length < 16) {
    throw new Error("AUTH_SECRET must be set (at least 16 characters) to issue or verify tokens");
  }
  return new Uint8Array(hkdfSync("sha256", secret, "referral-engine", purpose, 32));
}
