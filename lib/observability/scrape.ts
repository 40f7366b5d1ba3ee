/**
 * Who may read the metrics: Prometheus with `Authorization: Bearer $METRICS_TOKEN`, or the operator's secret key
 * (in `x-api-key`, or as the bearer for a scraper that can only send an Authorization header). A publishable key,
 * a user's token or a session is not enough: the metrics describe the whole platform.
 */
import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { InvalidApiKey, Unauthenticated } from "@/lib/auth/caller";
import { verifyApiKey } from "@/lib/auth/keys";
import { getPrisma } from "@/lib/db/client";

function sameSecret(a: string, b: string): boolean {
  // Hash both sides first so the comparison takes the same time whatever the lengths.
  const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
  return timingSafeEqual(digest(a), digest(b));
}

async function requireSecretKey(rawKey: string): Promise<void> {
  const key = await verifyApiKey(getPrisma(), rawKey);
  if (key?.kind !== "SECRET") throw new InvalidApiKey("Metrics need the metrics token or a secret key");
}

/**
 * @throws InvalidApiKey (403) without credentials, or with a key that is not a secret key; Unauthenticated (401)
 *   with a wrong metrics token
 */
export async function authorizeScrape(
  request: Request,
  env: Record<string, string | undefined> = process.env,
): Promise<void> {
  const rawKey = request.headers.get("x-api-key")?.trim();
  if (rawKey) return requireSecretKey(rawKey);
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization")?.trim() ?? "");
  // As on every operator route, no credential at all is a missing key.
  if (!match) throw new InvalidApiKey("Send Authorization: Bearer <METRICS_TOKEN> or a secret key in x-api-key");
  const given = match[1]!;
  const token = env.METRICS_TOKEN;
  if (token && sameSecret(given, token)) return;
  // A key is judged as a key wherever it is sent: a publishable or unknown one is refused like one (403).
  if (/^(?:sk|pk)_/.test(given)) return requireSecretKey(given);
  throw new Unauthenticated("Invalid metrics token");
}
