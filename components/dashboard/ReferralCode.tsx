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
        <CopyField
          id="code-label"
          label="Your code"
          testId="referral-code"
          value={code}
          copyLabel="Copy referral code"
        />
        <CopyField id="link-label" label="Share link" testId="share-link" value={shareUrl} copyLabel="Copy share link">
          Whoever signs up through this link has your code filled in.
        </CopyField>
      </div>
    </Card>
  );
}

/** A labelled value shown in full (it wraps rather than truncates) with its copy button, and an optional hint. */
function CopyField(props: {
  id: string;
  label: string;
  testId: string;
  value: string;
  copyLabel: string;
  children?: React.ReactNode;
}) {
  return (
    <div className="flex flex-col gap-1">
      <span className={`text-xs font-medium uppercase tracking-wide ${mutedText}`} id={props.id}>
        {props.label}
      </span>
      <div className="flex flex-wrap items-center gap-2">
        <code
          aria-labelledby={props.id}
          data-testid={props.testId}
          className="min-w-0 flex-1 break-all rounded-lg bg-zinc-100 px-3 py-2 font-mono text-xs sm:text-sm dark:bg-zinc-800"
        >
          {props.value}
        </code>
        <CopyButton value={props.value} label={props.copyLabel} />
      </div>
      {props.children ? <p className={`text-xs ${mutedText}`}>{props.children}</p> : null}
    </div>
  );
}
