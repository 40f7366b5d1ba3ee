/**
 * The operator's browser session for /admin. The operator proves itself once with a secret API key (the same
 * key its backend uses); the page then keeps a short-lived, encrypted, httpOnly cookie naming that key. The
 * cookie is encrypted with AUTH_SECRET under its own salt, so an end user's session cookie can never pass for it,
 * and it is checked against the key on every request: revoking or rotating the key ends the session at once.
 */
import "server-only";
import { decode, encode } from "next-auth/jwt";
import { type Db } from "@/lib/db/client";
import { hashKey, verifyApiKey } from "@/lib/auth/keys";

export const ADMIN_COOKIE = "referral-engine.admin";
const SALT = "referral-engine.admin";
/** One hour: long enough for a look around, short enough that a forgotten tab does not stay an operator. */
export const ADMIN_SESSION_SECONDS = 60 * 60;
/** Enough of the key's hash to tell a rotated key from the one that signed in; the hash itself stays on the server. */
const HASH_PREFIX = 16;

interface AdminToken {
  keyId: string;
  keyHash: string;
  /** The key's first characters, to name the operator in the audit log. */
  keyPrefix: string;
}

export interface ConsoleOperator {
  keyId: string;
  keyPrefix: string;
}

function secret(): string {
  const value = process.env.AUTH_SECRET;
  if (!value || value.length < 16)
    throw new Error("AUTH_SECRET must be set (at least 16 characters) for operator sessions");
  return value;
}

/**
 * Checks a pasted key and returns the cookie value for it.
 * @returns null unless it is a live secret key
 */
export async function startOperatorSession(db: Db, rawKey: string): Promise<string | null> {
  const key = await verifyApiKey(db, rawKey.trim());
  if (key?.kind !== "SECRET") return null;
  const token: AdminToken = {
    keyId: key.id,
    keyHash: hashKey(rawKey.trim()).slice(0, HASH_PREFIX),
    keyPrefix: key.prefix,
  };
  return encode({ token: { ...token }, secret: secret(), salt: SALT, maxAge: ADMIN_SESSION_SECONDS });
}

/**
 * The operator key behind a cookie value, or null when the cookie is missing, forged, expired, or its key has
 * since been revoked or rotated.
 */
export async function operatorFromCookie(db: Db, value: string | undefined): Promise<ConsoleOperator | null> {
  if (!value) return null;
  const token = (await decode({ token: value, secret: secret(), salt: SALT }).catch(
    () => null,
  )) as Partial<AdminToken> | null;
  if (typeof token?.keyId !== "string" || typeof token.keyHash !== "string" || typeof token.keyPrefix !== "string") {
    return null;
  }
  return (await keyStillValid(db, token.keyId, token.keyHash))
    ? { keyId: token.keyId, keyPrefix: token.keyPrefix }
    : null;
}

async function keyStillValid(db: Db, keyId: string, keyHash: string): Promise<boolean> {
  if (keyId === "bootstrap-secret") {
    const bootstrap = process.env.BOOTSTRAP_SECRET_KEY;
    return Boolean(bootstrap) && hashKey(bootstrap!).startsWith(keyHash);
  }
  const row = await db.apiKey
    .findUnique({ where: { id: keyId }, select: { kind: true, hash: true, revokedAt: true } })
    .catch(() => null);
  return row !== null && row.kind === "SECRET" && row.revokedAt === null && row.hash.startsWith(keyHash);
}
