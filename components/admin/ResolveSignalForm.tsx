"use client";

import { resolveSignalFromConsole } from "@/app/admin/review/actions";
import { inputClass } from "@/components/ui/styles";
import { ConfirmedActionForm } from "./ConfirmedActionForm";

/** Resolves one risk signal with a note, after a confirmation. */
export function ResolveSignalForm(props: { signalId: string; kind: string; accountId: string }) {
  return (
    <ConfirmedActionForm
      action={resolveSignalFromConsole}
      hidden={{ signalId: props.signalId }}
      words={{ label: "Resolve", title: "Resolve this signal?", tone: "secondary" }}
      describe={(form) => (
        <>
          <p>
            The {props.kind} signal about <span className="font-mono">{props.accountId}</span> leaves the open queue
            with your note: <span className="font-medium">{String(form.get("resolution") ?? "")}</span>
          </p>
          <p className="mt-2">
            Nothing else changes: a freeze stays until the account is unfrozen. Recorded in the audit log as
            signal.resolved.
          </p>
        </>
      )}
      testId="resolve-form"
      className="flex flex-col gap-2 sm:flex-row sm:items-end"
    >
      <label className="flex min-w-0 flex-1 flex-col gap-1 text-sm">
        <span className="font-medium">Note</span>
        <input name="resolution" required maxLength={1000} className={inputClass} placeholder="What you found" />
      </label>
    </ConfirmedActionForm>
  );
}
