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
import { verifySiwe } from "./siwe";
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

const siweCredentials = z.object({
  message: z.string().min(1).max(4000),
  signature: z.string().min(1).max(20000),
  kind: z.enum(["user", "provider"]).default("user"),
  referrer: z
    .string()
    .max(64)
    .optional()
    .transform((v) => (v ? v : undefined)),
});

const passwordCredentials = z.object({ email: z.string().email().max(320), password: z.string().min(1).max(1024) });

/** Turns a refused sign-in into a short code the sign-in page shows in words. */
function refuse(error: unknown): never {
  if (error instanceof DomainError) throw new SignInRefused(error.message);
  throw error;
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  secret: process.env.AUTH_SECRET,
  // Links (redirects, callback URLs) are built from AUTH_URL, which the launchers always set; without it, from the
  // request, whose forwarded headers proxy.ts drops unless TRUST_PROXY=true. What a signature proves never
  // depends on either: SIWE checks the configured site (lib/auth/site.ts).
  trustHost: true,
  session: { strategy: "jwt", maxAge: 7 * 24 * 3600 },
  pages: { signIn: "/signin" },
  logger: {
    // A refused sign-in (bad signature, replayed nonce, wrong password) is an answer, not a server error.
    error(error) {
      if (error.name === "CredentialsSignin" || (error as { type?: string }).type === "CredentialsSignin") return;
      console.error(error);
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
        return accountForPassword(getPrisma(), input.data.email, input.data.password);
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user?.id) {
        token.sub = user.id;
        token.kind = (user as { kind?: string }).kind;
      }
      return token;
    },
    session({ session, token }) {
      return { ...session, accountId: token.sub, kind: token.kind };
    },
  },
});
