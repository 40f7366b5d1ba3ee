"use client";

import { freezeFromConsole, unfreezeFromConsole } from "@/app/admin/accounts/actions";
import { buttonDanger, buttonSecondary, inputClass } from "@/components/ui/styles";
import { ConfirmedForm } from "./ConfirmedForm";

/** Freeze (with a reason) or unfreeze the account's claims, each after a confirmation saying what changes. */
export function FreezeControls(props: { accountId: string; frozen: boolean; frozenReason: string | null }) {
  if (props.frozen) {
    return (
      <ConfirmedForm
        action={unfreezeFromConsole}
        hidden={{ accountId: props.accountId }}
        label="Unfreeze"
        buttonClass={buttonSecondary}
        title="Unfreeze this account?"
        confirmLabel="Unfreeze"
        testId="unfreeze-form"
        describe={() => (
          <>
            <p>
              <span className="font-mono">{props.accountId}</span> will be able to claim its fees again, at once.
              Nothing else changes.
            </p>
            <p className="mt-2">Recorded in the audit log as account.unfrozen under your console session.</p>
          </>
        )}
      />
    );
  }
  return (
    <ConfirmedForm
      action={freezeFromConsole}
      hidden={{ accountId: props.accountId }}
      label="Freeze claims"
      buttonClass={buttonDanger}
      title="Freeze this account's claims?"
      confirmLabel="Freeze"
      testId="freeze-form"
      describe={(form) => (
        <>
          <p>
            <span className="font-mono">{props.accountId}</span> will keep earning, but every claim will be refused
            until it is unfrozen. A claim already opened and not yet signed fails and its fees stay claimable; a
            transfer already signed still settles.
          </p>
          <p className="mt-2">
            Reason: <span className="font-medium">{String(form.get("reason") ?? "")}</span>
          </p>
          <p className="mt-2">
            Recorded in the audit log as account.frozen under your console session; the account.frozen webhook event is
            sent.
          </p>
        </>
      )}
    >
      <label className="flex flex-col gap-1 text-sm">
        <span className="font-medium">Reason (shown in the audit log, not to the user)</span>
        <input name="reason" required maxLength={1000} className={inputClass} placeholder="Chargebacks under review" />
      </label>
    </ConfirmedForm>
  );
}
