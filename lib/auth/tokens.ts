/**
 * User bearer tokens for the API: short-lived HS256 JWS (jose), bound to this engine by issuer and audience.
 * The operator's backend mints one per signed-in user with its secret key (POST /api/auth/token).
 */
import "server-only";
import { SignJWT, jwtVerify, errors as joseErrors } from "jose";
import { DomainError } from "@/lib/errors";
import { derivedKey } from "./secret";

export const TOKEN_ISSUER = "referral-engine";
export const TOKEN_AUDIENCE = "referral-engine:api";
const DEFAULT_TTL_SECONDS = 3600;

export class InvalidToken extends DomainError {
  constructor(message: string) {
    super("invalid_token", "Invalid token", message);
  }
}

function ttlSeconds(): number {
  const configured = Number(process.env.USER_TOKEN_TTL_SECONDS ?? DEFAULT_TTL_SECONDS);
  return Number.isInteger(configured) && configured > 0 ? configured : DEFAULT_TTL_SECONDS;
}

export async function mintUserToken(accountId: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const expiresAt = new Date((issuedAt + ttlSeconds()) * 1000);
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(accountId)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(derivedKey("api-bearer-token"));
  return { token, expiresAt };
}

/** The account a token names; InvalidToken (401) for anything tampered, expired, foreign or malformed. */
export async function verifyUserToken(token: string): Promise<string> {
  try {
    const { payload } = await jwtVerify(token, derivedKey("api-bearer-token"), {
      algorithms: ["HS256"],
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      requiredClaims: ["sub", "exp"],
    });
    if (typeof payload.sub !== "string" || payload.sub.length === 0) {
      throw new InvalidToken("The bearer token names no account");
    }
    return payload.sub;
  } catch (error) {
    if (error instanceof InvalidToken) throw error;
    if (error instanceof joseErrors.JWTExpired) throw new InvalidToken("The bearer token has expired");
    if (error instanceof joseErrors.JOSEError) throw new InvalidToken("The bearer token is not valid");
    throw error;
  }
}
