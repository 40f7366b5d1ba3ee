/**
 * What a browser sign-in does to accounts: a wallet that signs in for the first time creates an account of the
 * chosen kind (or is linked to the account already signed in); an email sign-up creates one with a password.
 * Referral codes given at sign-up follow the referral rules (lib/referrals).
 */
import "server-only";
import { type Db } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import { createAccount } from "@/lib/referrals/accounts";
import { KindMismatch, UnknownReferralCode } from "@/lib/referrals/errors";
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from "./password";
import { linkFirstWallet } from "./wallet";

export type SignupKind = "user" | "provider";
/** What a session records about its account. */
export interface SignedIn {
  id: string;
  kind: SignupKind;
}

function signedIn(account: { id: string; kind: "USER" | "PROVIDER" }): SignedIn {
  return { id: account.id, kind: account.kind === "USER" ? "user" : "provider" };
}

export class EmailTaken extends DomainError {
  constructor() {
    super("email_taken", "Email already registered", "An account with this email exists; sign in instead");
  }
}

/**
 * The account a verified wallet signs in as.
 * @param signedInAccountId the account of the browser's current session, if any: an unlinked wallet is linked to it
 *   if it has none (replacing its wallet needs that wallet's approval, lib/auth/wallet.ts)
 */
export async function accountForWallet(
  db: Db,
  address: `0x${string}`,
  options: { kind: SignupKind; referrer?: string; signedInAccountId?: string | null },
): Promise<SignedIn> {
  const existing = await db.account.findUnique({ where: { walletAddress: address }, select: { id: true, kind: true } });
  if (existing) return signedIn(existing);
  if (options.signedInAccountId) {
    await linkFirstWallet(db, options.signedInAccountId, address);
    return signedIn(
      await db.account.findUniqueOrThrow({
        where: { id: options.signedInAccountId },
        select: { id: true, kind: true },
      }),
    );
  }
  const { account } = await createAccount(db, {
    kind: options.kind,
    walletAddress: address,
    referrer: options.referrer,
  });
  return { id: account.id, kind: account.kind };
}

/**
 * Creates an email + password account. Every check that does not depend on the email comes first, and the password
 * is hashed whether or not the email is taken, so a caller that hides EmailTaken (the sign-up form does) answers
 * alike, in content and in time, for a taken email and a new one.
 * @throws password_too_short, UnknownReferralCode, KindMismatch (before anything else); EmailTaken (409)
 */
export async function signUpWithPassword(
  db: Db,
  input: { email: string; password: string; kind: SignupKind; referrer?: string },
): Promise<SignedIn> {
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new DomainError("password_too_short", "Password too short", `Use at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (input.referrer !== undefined) {
    const referrer = await db.account.findUnique({ where: { id: input.referrer }, select: { kind: true } });
    if (!referrer) throw new UnknownReferralCode(input.referrer);
    if (referrer.kind !== (input.kind === "user" ? "USER" : "PROVIDER")) throw new KindMismatch();
  }
  const email = input.email.trim().toLowerCase();
  const passwordHash = await hashPassword(input.password);
  // Checked first for a clear error; a sign-up racing this one is refused by createAccount (AccountConflict).
  if (await db.account.findUnique({ where: { email }, select: { id: true } })) throw new EmailTaken();
  const { account } = await createAccount(db, { kind: input.kind, email, passwordHash, referrer: input.referrer });
  return { id: account.id, kind: account.kind };
}

/** The account for an email and password, or null; the same work is done for unknown emails so timing tells nothing. */
export async function accountForPassword(db: Db, email: string, password: string): Promise<SignedIn | null> {
  const account = await db.account.findUnique({
    where: { email: email.trim().toLowerCase() },
    select: { id: true, kind: true, passwordHash: true },
  });
  const stored = account?.passwordHash ?? (await decoyHash());
  const ok = await verifyPassword(password, stored);
  return ok && account ? signedIn(account) : null;
}

let decoy: Promise<string> | undefined;
function decoyHash(): Promise<string> {
  decoy ??= hashPassword("decoy password for unknown accounts");
  return decoy;
}
