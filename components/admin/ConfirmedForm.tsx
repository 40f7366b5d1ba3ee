"use client";

import { useActionState, useRef, useState } from "react";
import type { ActionState } from "@/app/admin/actions";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";

/**
 * A console action behind a confirmation: the form's button opens a dialog that says exactly what will change,
 * and only its confirm button submits the form (a server action, so Next.js checks the request's origin). The
 * outcome stays on screen after the page refreshes.
 */
export function ConfirmedForm(props: {
  action: (state: ActionState, form: FormData) => Promise<ActionState>;
  /** Hidden fields: what the action acts on. */
  hidden: Record<string, string>;
  /** Visible fields (a reason, an amount), inside the form. */
  children?: React.ReactNode;
  label: string;
  buttonClass: string;
  title: string;
  confirmLabel: string;
  /** What will change, in words; given the form's current values. */
  describe: (form: FormData) => React.ReactNode;
  testId: string;
  className?: string;
}) {
  const [state, formAction, pending] = useActionState(props.action, {});
  const formRef = useRef<HTMLFormElement>(null);
  const [confirming, setConfirming] = useState<FormData | null>(null);

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
          className={props.buttonClass}
          disabled={pending}
          onClick={() => {
            const form = formRef.current;
            if (form && form.reportValidity()) setConfirming(new FormData(form));
          }}
        >
          {pending ? "Working…" : props.label}
        </button>
        {state.message ? (
          <p
            role="status"
            className={`text-sm ${state.ok ? "text-emerald-800 dark:text-emerald-300" : "text-red-700 dark:text-red-300"}`}
            data-testid={`${props.testId}-outcome`}
          >
            {state.message}
          </p>
        ) : null}
      </div>
      <ConfirmDialog
        open={confirming !== null}
        title={props.title}
        confirmLabel={props.confirmLabel}
        onCancel={() => setConfirming(null)}
        onConfirm={() => {
          setConfirming(null);
          formRef.current?.requestSubmit();
        }}
      >
        {confirming ? props.describe(confirming) : null}
      </ConfirmDialog>
    </form>
  );
}
