"use client";

import { freezeFromConsole, unfreezeFromConsole } from "@/app/admin/accounts/actions";
import { inputClass } from "@/components/ui/styles";
import { ConfirmedActionForm } from "./ConfirmedActionForm";

/** The last words of each confirmation here: where the action is recorded and announced. */
function Audited({ action, webhook = true }: { action: string; webhook?: boolean }) {
  return (
    <p className="mt-2">
      Recorded in the audit log as {action} under your console session
      {webhook ? `; the ${action} webhook event is sent` : ""}.
    </p>
  );
}

/** Freeze (with a reason) or unfreeze the account's claims, each after a confirmation saying what changes. */
export function FreezeControls(props: { accountId: string; frozen: boolean; frozenReason: string | null }) {
  if (props.frozen) {
    return (
      <ConfirmedActionForm
        action={unfreezeFromConsole}
        hidden={{ accountId: props.accountId }}
        words={{ label: "Unfreeze", title: "Unfreeze this account?", tone: "secondary" }}
        describe={() => (
          <>
            <p>
              <span className="font-mono">{props.accountId}</span> will be able to claim its fees again, at once.
              Nothing else changes.
            </p>
            <Audited action="account.unfrozen" webhook={false} />
          </>
        )}
        testId="unfreeze-form"
      />
    );
  }
  return (
    <ConfirmedActionForm
      action={freezeFromConsole}
      hidden={{ accountId: props.accountId }}
      words={{ label: "Freeze claims", confirm: "Freeze", title: "Freeze this account's claims?", tone: "danger" }}
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
          <Audited action="account.frozen" />
        </>
      )}
      testId="freeze-form"
    >
      <label className="flex flex-col gap-1 text-sm">
        <span className="font-medium">Reason (shown in the audit log, not to the user)</span>
        <input name="reason" required maxLength={1000} className={inputClass} placeholder="Chargebacks under review" />
      </label>
    </ConfirmedActionForm>
  );
}
