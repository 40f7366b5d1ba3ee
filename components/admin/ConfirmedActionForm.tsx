"use client";

import { useActionState, useRef, useState } from "react";
import type { ActionState } from "@/app/admin/actions";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { buttonDanger, buttonSecondary } from "@/components/ui/styles";

/** How a console action reads: its button, and the dialog that asks before it runs. */
export interface ActionWords {
  /** The form's button, and the dialog's confirm button unless `confirm` names it. */
  label: string;
  confirm?: string;
  /** The dialog's title: a question. */
  title: string;
  /** danger for what takes something away or stops the account; secondary for the rest. */
  tone: "danger" | "secondary";
}

const TONE = { danger: buttonDanger, secondary: buttonSecondary } as const;

/**
 * A console action behind a confirmation: the form's button opens a dialog that says exactly what will change,
 * and only its confirm button submits the form (a server action, so Next.js checks the request's origin). The
 * outcome stays on screen after the page refreshes; a refusal carries its error code (`data-code`).
 */
export function ConfirmedActionForm(props: {
  action: (state: ActionState, form: FormData) => Promise<ActionState>;
  /** What the action acts on, and the id that makes a second submit of this rendering a replay. */
  hidden: Record<string, string>;
  words: ActionWords;
  /** What will change, in words; given the form's values when the button is pressed. */
  describe: (form: FormData) => React.ReactNode;
  /** Optional fields inside the dialog, filled in while confirming (a reversal's reason). */
  confirmFields?: React.ReactNode;
  testId: string;
  /** Visible fields (a reason, an amount), inside the form before its button. */
  children?: React.ReactNode;
  className?: string;
}) {
  const [state, formAction, pending] = useActionState(props.action, {});
  const formRef = useRef<HTMLFormElement>(null);
  const [confirming, setConfirming] = useState<FormData | null>(null);
  const { words } = props;

  return (
    <form
      ref={formRef}
      action={formAction}
      className={props.className ?? "flex flex-col gap-2"}
      data-testid={props.testId}
    >
      {Object.entries(props.hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {props.children}
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          className={TONE[words.tone]}
          disabled={pending}
          onClick={() => {
            const form = formRef.current;
            if (form && form.reportValidity()) setConfirming(new FormData(form));
          }}
        >
          {pending ? "Working…" : words.label}
        </button>
        {state.message ? (
          <p
            role="status"
            className={`text-sm ${state.ok ? "text-emerald-800 dark:text-emerald-300" : "text-red-700 dark:text-red-300"}`}
            data-testid={`${props.testId}-outcome`}
            data-code={state.code}
          >
            {state.message}
          </p>
        ) : null}
      </div>
      <ConfirmDialog
        open={confirming !== null}
        title={words.title}
        confirmLabel={words.confirm ?? words.label}
        onCancel={() => setConfirming(null)}
        onConfirm={() => {
          setConfirming(null);
          formRef.current?.requestSubmit();
        }}
      >
        {confirming ? props.describe(confirming) : null}
        {props.confirmFields}
      </ConfirmDialog>
    </form>
  );
}
