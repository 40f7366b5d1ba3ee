"use client";

import { useEffect, useId, useRef, useState } from "react";
import { Card } from "@/components/ui/Card";
import { formatPoints } from "@/components/ui/format";
import { buttonPrimary, inputClass, mutedText } from "@/components/ui/styles";
import type { ErrorCode } from "@/lib/errors";
import { ApiError } from "@/lib/hooks/api";
import { useApplyReferral } from "@/lib/hooks/referrals";

/** The API's refusals (lib/referrals/errors.ts), in words. */
const REFUSALS: Partial<Record<ErrorCode, string>> = {
  already_referred: "You already have a referrer.",
  self_referral: "That is your own code.",
  referral_cycle: "That would make a loop: this account is already in your own network.",
  referral_kind_mismatch: "Users can only use user codes; providers provider codes.",
  referral_code_not_found: "No account has that code. Check it and try again.",
};

export function refusalInWords(error: unknown): string {
  if (error instanceof ApiError) {
    const known = error.code && REFUSALS[error.code];
    if (known) return known;
    if (error.status === 400) return "Enter a referral code such as usr_… or prov_….";
    if (error.status === 429) return "Too many attempts. Wait a minute and try again.";
    if (error.status === 401) return "Your session has ended. Sign in again.";
    return `The code could not be applied: ${error.detail ?? error.error}.`;
  }
  return "The code could not be applied: the server could not be reached. Try again.";
}

/**
 * "Enter Referral Code" (docs/dashboards.md): once a referrer is set the form is gone for good and the referrer
 * is shown instead.
 */
export function ApplyReferral(props: { referredBy: string | null; kind: "user" | "provider"; prefill?: string }) {
  const apply = useApplyReferral();
  const [code, setCode] = useState(props.prefill ?? "");
  const inputId = useId();
  const errorId = useId();
  const doneRef = useRef<HTMLParagraphElement>(null);
  const referredBy = props.referredBy ?? apply.data?.referredBy ?? null;

  useEffect(() => {
    // The form the user was in disappears: keep their place on the confirmation instead of losing focus.
    if (apply.isSuccess) doneRef.current?.focus();
  }, [apply.isSuccess]);

  if (referredBy) {
    return (
      <Card id="referrer-heading" title="Your referrer">
        <p ref={doneRef} tabIndex={-1} className="text-sm" data-testid="referred-by">
          {apply.isSuccess ? "Code applied. " : null}
          You were referred by <code className="break-all font-mono">{referredBy}</code>
          {apply.data ? ` (they received ${formatPoints(apply.data.directBonus.points)} points).` : "."}
        </p>
        <p className={`mt-2 text-xs ${mutedText}`}>A referral relationship is permanent.</p>
      </Card>
    );
  }

  const error = apply.isError ? refusalInWords(apply.error) : null;
  return (
    <Card
      id="apply-heading"
      title="Enter Referral Code"
      description={`If someone referred you, enter their ${props.kind === "provider" ? "Provider ID" : "User ID"}. They receive their bonus at once. You can set this only once.`}
    >
      <form
        className="flex flex-col gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          const value = code.trim();
          if (value) apply.mutate(value);
        }}
      >
        <label htmlFor={inputId} className="text-sm font-medium">
          Referral code
        </label>
        <div className="flex flex-col gap-2 sm:flex-row">
          <input
            id={inputId}
            name="code"
            className={inputClass}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            placeholder={props.kind === "provider" ? "prov_…" : "usr_…"}
            autoComplete="off"
            spellCheck={false}
            required
            maxLength={64}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
          />
          <button type="submit" className={`${buttonPrimary} shrink-0`} disabled={apply.isPending}>
            {apply.isPending ? "Applying…" : "Apply Referral"}
          </button>
        </div>
        <p
          id={errorId}
          role="alert"
          className="min-h-5 text-sm text-red-700 dark:text-red-300"
          data-testid="apply-error"
        >
          {error}
        </p>
      </form>
    </Card>
  );
}
