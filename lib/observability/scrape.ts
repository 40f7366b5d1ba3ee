/**
 * Who may read the metrics: Prometheus with `Authorization: Bearer $METRICS_TOKEN`, or the operator's secret key.
 * A publishable key, a user's token or a session is not enough: the metrics describe the whole platform.
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

/**
 * @throws InvalidApiKey (403) without credentials, or with a key that is not a secret key; Unauthenticated (401)
 *   with a wrong metrics token
 */
export async function authorizeScrape(
  request: Request,
  env: Record<string, string | undefined> = process.env,
): Promise<void> {
  const rawKey = request.headers.get("x-api-key")?.trim();
  if (rawKey) {
    const key = await verifyApiKey(getPrisma(), rawKey);
    if (key?.kind !== "SECRET") throw new InvalidApiKey("Metrics need the metrics token or a secret key");
    return;
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization")?.trim() ?? "");
  // As on every operator route, no credential at all is a missing key.
  if (!match) throw new InvalidApiKey("Send Authorization: Bearer <METRICS_TOKEN> or a secret key in x-api-key");
  const token = env.METRICS_TOKEN;
  if (!token || !sameSecret(match[1]!, token)) throw new Unauthenticated("Invalid metrics token");
}
