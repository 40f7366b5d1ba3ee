"use client";

import {
  adjustFromConsole,
  freezeFromConsole,
  reverseFromConsole,
  unfreezeFromConsole,
} from "@/app/admin/accounts/actions";
import { inputClass } from "@/components/ui/styles";
import { CURRENCIES } from "@/lib/money";
import { ConfirmedActionForm } from "./ConfirmedActionForm";
import { adjustmentAmountError, adjustmentChange } from "./correction-words";

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
export function FreezeControls(props: { accountId: string; frozen: boolean }) {
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

/**
 * Reverses one transaction. `change` is what it does to the referrer's fee, in words (correction-words.ts), as
 * the page read it; `reversalId` was drawn when the page rendered, so a second submit of this form is a replay.
 */
export function ReverseTransactionForm(props: {
  accountId: string;
  orderId: string;
  reversalId: string;
  change: string;
}) {
  return (
    <ConfirmedActionForm
      action={reverseFromConsole}
      hidden={{ accountId: props.accountId, orderId: props.orderId, reversalId: props.reversalId }}
      words={{ label: "Reverse", title: "Reverse this transaction?", tone: "secondary" }}
      describe={() => (
        <>
          <p className="font-medium" data-testid="reverse-change">
            {props.change}
          </p>
          <p className="mt-2">
            The transaction <span className="font-mono">{props.orderId}</span> stays on record, marked reversed; it
            cannot be reversed again. A claim that already paid the fee stays as it is.
          </p>
          <Audited action="reversal.created" />
        </>
      )}
      confirmFields={
        <label className="mt-3 flex flex-col gap-1 text-sm">
          <span className="font-medium">Reason (optional, kept with the reversal)</span>
          <input name="reason" maxLength={1000} className={inputClass} placeholder="Refunded" />
        </label>
      }
      testId="reverse-form"
      className="flex min-w-[10rem] flex-col gap-2"
    />
  );
}

/** Credits or debits the account's POINTS or a currency, with a reason; `adjustmentId` drawn when the page rendered. */
export function AdjustForm(props: { accountId: string; adjustmentId: string }) {
  return (
    <ConfirmedActionForm
      action={adjustFromConsole}
      hidden={{ accountId: props.accountId, adjustmentId: props.adjustmentId }}
      words={{ label: "Adjust", title: "Make this adjustment?", tone: "secondary" }}
      describe={(form) => {
        const preview = adjustmentChange({
          accountId: props.accountId,
          unit: String(form.get("unit")),
          amount: String(form.get("amount")),
          reason: String(form.get("reason")),
        });
        return "error" in preview ? (
          <p>{preview.error}</p>
        ) : (
          <>
            <p className="font-medium" data-testid="adjust-change">
              {preview.change}
            </p>
            <p className="mt-2">{preview.effect}</p>
            <Audited action="adjustment.created" />
          </>
        );
      }}
      testId="adjust-form"
    >
      <div className="grid gap-2 sm:grid-cols-[8rem_1fr]">
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">Unit</span>
          <select name="unit" className={inputClass} defaultValue="POINTS">
            {["POINTS", ...CURRENCIES].map((unit) => (
              <option key={unit}>{unit}</option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">Amount (negative to take away)</span>
          <input
            name="amount"
            required
            inputMode="decimal"
            autoComplete="off"
            className={inputClass}
            placeholder="10"
            onChange={(e) => e.currentTarget.setCustomValidity(adjustmentAmountError(e.currentTarget.value) ?? "")}
          />
        </label>
      </div>
      <label className="flex flex-col gap-1 text-sm">
        <span className="font-medium">
          Reason (kept with the adjustment and in the audit log, not shown to the user)
        </span>
        <input name="reason" required maxLength={1000} className={inputClass} placeholder="Goodwill for the outage" />
      </label>
    </ConfirmedActionForm>
  );
}
