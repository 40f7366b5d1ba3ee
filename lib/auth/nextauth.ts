/**
 * Browser sessions (Auth.js / next-auth 5): Sign-In with Ethereum and email + password, both as credentials
 * providers with JWT sessions whose subject is the account id. The API guard reads the same cookie
 * (lib/auth/session.ts), so a signed-in browser calls /api/* without a bearer token.
 */
import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { DomainError } from "@/lib/errors";
import { sessionAccountId } from "./session";
import { accountForPassword, accountForWallet } from "./signin";
import { UNSAFE_STRING_MESSAGE, isSafeString } from "@/lib/api/strings";
import { isSessionLive, openSession, revokeSession, SESSION_MAX_AGE_SECONDS } from "./sessions";
import { authRedirect } from "./callback-url";
import { siteUrl } from "./site";
import { verifySiwe } from "./siwe";
import { clearPasswordFailures, passwordSignInBlockedUntil, recordPasswordFailure } from "./throttle";
import { getPrisma } from "@/lib/db/client";

declare module "next-auth" {
  interface Session {
    accountId?: string;
    kind?: string;
  }
}

class SignInRefused extends CredentialsSignin {
  constructor(code: string) {
    super();
    this.code = code;
  }
}

/** Text a person or a client typed: NUL and lone surrogates are refused before they reach the database. */
const text = () => z.string().refine(isSafeString, UNSAFE_STRING_MESSAGE);

const siweCredentials = z.object({
  message: text().min(1).max(4000),
  signature: text().min(1).max(20000),
  kind: z.enum(["user", "provider"]).default("user"),
  referrer: text()
    .max(64)
    .optional()
    .transform((v) => (v ? v : undefined)),
});

const passwordCredentials = z.object({ email: z.email().max(320), password: text().min(1).max(1024) });

/** Turns a refused sign-in into a short code the sign-in page shows in words. */
function refuse(error: unknown): never {
  if (error instanceof DomainError) throw new SignInRefused(error.message);
  throw error;
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  secret: process.env.AUTH_SECRET,
  // Links (redirects, callback URLs) are built from AUTH_URL, which the launchers always set; without it, from the
  // request, whose forwarded headers the server drops unless TRUST_PROXY=true (scripts/forwarded-headers.mjs).
  // What a signature proves never depends on either: SIWE checks the configured site (lib/auth/site.ts).
  trustHost: true,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/signin" },
  logger: {
    // A refused sign-in (bad signature, replayed nonce, wrong password) is an answer, not a server error.
    error(error) {
      if (error.name === "CredentialsSignin" || (error as { type?: string }).type === "CredentialsSignin") return;
      console.error(error);
    },
  },
  events: {
    async signOut(message) {
      if ("token" in message && message.token) await revokeSession(getPrisma(), message.token.sid);
    },
  },
  providers: [
    Credentials({
      id: "siwe",
      name: "Ethereum wallet",
      credentials: { message: {}, signature: {}, kind: {}, referrer: {} },
      async authorize(raw, request) {
        const input = siweCredentials.safeParse(raw);
        if (!input.success) throw new SignInRefused("Malformed sign-in request");
        try {
          const address = await verifySiwe(getPrisma(), input.data);
          return await accountForWallet(getPrisma(), address, {
            kind: input.data.kind,
            referrer: input.data.referrer,
            signedInAccountId: await sessionAccountId(request),
          });
        } catch (error) {
          refuse(error);
        }
      },
    }),
    Credentials({
      id: "password",
      name: "Email and password",
      credentials: { email: { type: "email" }, password: { type: "password" } },
      async authorize(raw) {
        const input = passwordCredentials.safeParse(raw);
        if (!input.success) return null;
        const db = getPrisma();
        const email = input.data.email.trim().toLowerCase();
        const blockedUntil = await passwordSignInBlockedUntil(db, email);
        if (blockedUntil) {
          throw new SignInRefused(
            `Too many failed sign-ins for this email. Try again after ${blockedUntil.toISOString().slice(11, 16)} UTC.`,
          );
        }
        const account = await accountForPassword(db, email, input.data.password);
        if (account) await clearPasswordFailures(db, email);
        else await recordPasswordFailure(db, email);
        return account;
      },
    }),
  ],
  callbacks: {
    // After sign-in or sign-out through Auth.js's own endpoints: only a path on this site, as the sign-in page does.
    redirect: ({ url, baseUrl }) => authRedirect(url, baseUrl, siteUrl()),
    // Every read of a session passes here: a signed-out or expired server-side session ends the cookie's too.
    async jwt({ token, user }) {
      if (user?.id) {
        token.sub = user.id;
        token.kind = (user as { kind?: string }).kind;
        token.sid = await openSession(getPrisma(), user.id);
        return token;
      }
      return (await isSessionLive(getPrisma(), token.sid, token.sub)) ? token : null;
    },
    session({ session, token }) {
      return { ...session, accountId: token.sub, kind: token.kind };
    },
  },
});
