import type { Metadata } from "next";
import Link from "next/link";
import { cache } from "react";
import { buttonPrimary, cardClass, linkClass, mutedText } from "@/components/ui/styles";
import { auth } from "@/lib/auth/nextauth";
import { getAccountView, type AccountView } from "@/lib/referrals/accounts";
import { getPrisma } from "@/lib/db/client";
import { siteUrl } from "@/lib/auth/site";

export const dynamic = "force-dynamic";

const CODE = /^(usr|prov)_[A-Za-z0-9]{1,60}$/;

/** Read once per request: the page and its metadata both ask. */
const referrer = cache(async (code: string): Promise<AccountView | null> => {
  if (!CODE.test(code)) return null;
  return getAccountView(getPrisma(), code).catch(() => null);
});

/**
 * What a chat app or social network shows when the link is pasted. Crawlers fetch the image by itself, so its URL
 * is absolute, on the configured site (AUTH_URL or APP_URL), never on whatever host the request named.
 */
export async function generateMetadata(props: { params: Promise<{ code: string }> }): Promise<Metadata> {
  const { code } = await props.params;
  const inviter = await referrer(code);
  const title = inviter ? "You are invited" : "This invitation link is not valid";
  const description = !inviter
    ? "No account has the referral code in this link."
    : inviter.kind === "provider"
      ? `Join with referral code ${inviter.referralCode}: earn for the compute you serve, and from the providers you refer.`
      : `Join with referral code ${inviter.referralCode}: earn points for your API usage, and from the users you refer.`;
  const site = siteUrl();
  const absolute = (path: string) => (site ? new URL(path, site).href : path);
  const image = { url: absolute("/og.png"), width: 1200, height: 630, alt: "Referral engine: you are invited" };
  return {
    title,
    description,
    openGraph: {
      type: "website",
      siteName: "Referral engine",
      title,
      description,
      url: absolute(`/r/${encodeURIComponent(code)}`),
      images: [image],
    },
    twitter: { card: "summary_large_image", title, description, images: [image] },
  };
}

/** A share link's landing: says who invited you and carries the code into sign-up (or onto your dashboard). */
export default async function ReferralLanding(props: { params: Promise<{ code: string }> }) {
  const { code } = await props.params;
  const [inviter, session] = await Promise.all([referrer(code), auth()]);
  const signedIn = Boolean(session?.accountId);
  const program = inviter?.kind === "provider" ? "provider" : "user";

  return (
    <main className="mx-auto flex min-h-dvh max-w-lg flex-col justify-center gap-6 px-6 py-12">
      {inviter ? (
        <>
          <header className="flex flex-col gap-2">
            <h1 className="text-2xl font-semibold tracking-tight">You are invited</h1>
            <p className={mutedText}>
              Sign up with this code and you join their {program === "provider" ? "provider " : ""}network. They earn a
              share of what you earn; you keep all of yours.
            </p>
          </header>
          <div className={cardClass}>
            <p className={`text-xs font-medium uppercase tracking-wide ${mutedText}`}>Referral code</p>
            <p className="mt-1 break-all font-mono text-sm" data-testid="landing-code">
              {inviter.referralCode}
            </p>
            <p className={`mt-3 text-sm ${mutedText}`}>
              {program === "provider"
                ? "For providers: earn for the compute you serve, and earn from the providers you refer."
                : "For users: earn points for your API usage, and earn from the users you refer."}
            </p>
          </div>
          {signedIn ? (
            <div className="flex flex-col gap-2">
              <Link className={buttonPrimary} href={`/dashboard?ref=${encodeURIComponent(inviter.referralCode)}`}>
                Apply this code on your dashboard
              </Link>
              <p className={`text-sm ${mutedText}`}>
                You are signed in. A referral code can be set once, if you have none yet.
              </p>
            </div>
          ) : (
            <div className="flex flex-col gap-2">
              <Link className={buttonPrimary} href={`/signin?ref=${encodeURIComponent(inviter.referralCode)}`}>
                Sign up with this code
              </Link>
              <p className={`text-sm ${mutedText}`}>
                The code is filled in for you. Already have an account? Sign in and enter it on your dashboard.
              </p>
            </div>
          )}
        </>
      ) : (
        <>
          <header className="flex flex-col gap-2">
            <h1 className="text-2xl font-semibold tracking-tight">This invitation link is not valid</h1>
            <p className={mutedText}>
              No account has the referral code in this link. Ask for the link again, or sign up without a code.
            </p>
          </header>
          <Link className={linkClass} href="/signin">
            Go to sign-in
          </Link>
        </>
      )}
    </main>
  );
}
