"use client";

import { Card } from "@/components/ui/Card";
import { CopyButton } from "@/components/ui/CopyButton";
import { mutedText } from "@/components/ui/styles";

/** The account's referral code (its id) and a link that pre-fills it at sign-up, each with a copy button. */
export function ReferralCode({ code, shareUrl, kind }: { code: string; shareUrl: string; kind: "user" | "provider" }) {
  return (
    <Card
      id="referral-code-heading"
      title={kind === "provider" ? "Referral information" : "Referral codes"}
      description={
        kind === "provider"
          ? "Your Provider ID is your referral code. Providers you refer earn you 50 points at once and a share of their compute earnings."
          : "Your User ID is your referral code. Users you refer earn you 25 points at once and a share of their usage points."
      }
    >
      <div className="flex flex-col gap-4">
        <div className="flex flex-col gap-1">
          <span className={`text-xs font-medium uppercase tracking-wide ${mutedText}`} id="code-label">
            Your code
          </span>
          <div className="flex flex-wrap items-center gap-2">
            <code
              aria-labelledby="code-label"
              data-testid="referral-code"
              className="min-w-0 flex-1 break-all rounded-lg bg-zinc-100 px-3 py-2 font-mono text-xs sm:text-sm dark:bg-zinc-800"
            >
              {code}
            </code>
            <CopyButton value={code} label="Copy referral code" />
          </div>
        </div>
        <div className="flex flex-col gap-1">
          <span className={`text-xs font-medium uppercase tracking-wide ${mutedText}`} id="link-label">
            Share link
          </span>
          <div className="flex flex-wrap items-center gap-2">
            <code
              aria-labelledby="link-label"
              data-testid="share-link"
              className="min-w-0 flex-1 break-all rounded-lg bg-zinc-100 px-3 py-2 font-mono text-xs sm:text-sm dark:bg-zinc-800"
            >
              {shareUrl}
            </code>
            <CopyButton value={shareUrl} label="Copy share link" />
          </div>
          <p className={`text-xs ${mutedText}`}>Whoever signs up through this link has your code filled in.</p>
        </div>
      </div>
    </Card>
  );
}
