/**
 * Endpoint signing secrets. The operator sees a secret once, when the endpoint is made; the dispatcher must read
 * it back for every delivery to sign (an HMAC key cannot be stored as a one-way hash). So it is stored encrypted
 * with AES-256-GCM under a key derived from AUTH_SECRET for this purpose alone: a copy of the database without
 * the server's AUTH_SECRET does not reveal it. Changing AUTH_SECRET makes stored secrets unreadable: their
 * deliveries fail until the endpoints are made again (docs/webhooks.md).
 */
import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { derivedKey } from "@/lib/auth/secret";

export const SECRET_PREFIX = "whsec_";
const FORMAT = "v1";

/** `whsec_` + base64 of 32 random bytes, the Standard Webhooks secret format. */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString("base64");
}

export function encryptSecret(secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", derivedKey("webhook-secrets"), iv);
  const sealed = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return [FORMAT, iv.toString("base64"), cipher.getAuthTag().toString("base64"), sealed.toString("base64")].join(":");
}

/** @throws when the stored value was sealed under another AUTH_SECRET, or altered */
export function decryptSecret(stored: string): string {
  const [format, iv, tag, sealed] = stored.split(":");
  if (format !== FORMAT || !iv || !tag || sealed === undefined) throw new Error("Unknown webhook secret format");
  const decipher = createDecipheriv("aes-256-gcm", derivedKey("webhook-secrets"), Buffer.from(iv, "base64"));
  decipher.setAuthTag(Buffer.from(tag, "base64"));
  return Buffer.concat([decipher.update(Buffer.from(sealed, "base64")), decipher.final()]).toString("utf8");
}
