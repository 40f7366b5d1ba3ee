/**
 * The one guard every route goes through: resolves the caller from a browser session or from bearer + key,
 * and refuses with 401/403. Order matters and follows docs/api.md ("401 or 403"):
 * an unknown key → 403 whatever else is sent; a bearer without a key → 403; a missing or bad token → 401.
 */
import "server-only";
import { authorizeScrape } from "@/lib/observability/scrape";
import { verifyApiKey, type VerifiedKey } from "./keys";
import { InvalidApiKey, Unauthenticated, type AuthMode, type Caller } from "./caller";
import { assertSameSiteWrite } from "./csrf";
import { sessionAccountId } from "./session";
import { verifyUserToken } from "./tokens";
import { getPrisma } from "@/lib/db/client";

export async function authenticate(request: Request, mode: AuthMode): Promise<Caller | null> {
  if (mode === "none") return null;
  if (mode === "metrics") {
    await authorizeScrape(request);
    return null;
  }

  const rawKey = request.headers.get("x-api-key")?.trim();
  let key: VerifiedKey | null = null;
  if (rawKey) {
    key = await verifyApiKey(getPrisma(), rawKey);
    if (!key) throw new InvalidApiKey("Invalid API key");
  }

  if (mode === "secret") {
    if (key?.kind !== "SECRET") throw new InvalidApiKey(key ? "This route needs a secret key" : "Missing API key");
    return { type: "operator", keyId: key.id, keyPrefix: key.prefix };
  }

  const bearer = bearerToken(request);
  if (bearer !== undefined) {
    if (!key) throw new InvalidApiKey("Missing API key: a bearer token must be sent with x-api-key");
    const accountId = await verifyUserToken(bearer);
    return { type: "account", accountId, via: "bearer", keyId: key.id };
  }

  if (mode === "account" && key?.kind === "SECRET") return { type: "operator", keyId: key.id, keyPrefix: key.prefix };

  const sessionAccount = await sessionAccountId(request);
  if (sessionAccount) {
    assertSameSiteWrite(request);
    return { type: "account", accountId: sessionAccount, via: "session", keyId: key?.id ?? null };
  }

  if (key?.kind === "SECRET") {
    throw new InvalidApiKey("This route acts for a signed-in account: send the user's bearer token");
  }
  throw new Unauthenticated("Missing bearer token or session");
}

function bearerToken(request: Request): string | undefined {
  const header = request.headers.get("authorization");
  if (header === null) return undefined;
  const match = /^Bearer\s+(.*)$/i.exec(header.trim());
  return match ? match[1]!.trim() : "";
}
