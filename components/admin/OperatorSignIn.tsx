"use client";

import { useActionState, useId } from "react";
import { operatorSignIn, type ActionState } from "@/app/admin/actions";
import { buttonPrimary, inputClass, mutedText } from "@/components/ui/styles";

/** The operator proves itself with its secret API key; the page keeps an hour-long session, not the key. */
export function OperatorSignIn() {
  const [state, action, pending] = useActionState<ActionState, FormData>(operatorSignIn, {});
  const keyId = useId();
  const errorId = useId();
  return (
    <form action={action} className="flex flex-col gap-3">
      <label htmlFor={keyId} className="text-sm font-medium">
        Secret API key
      </label>
      <input
        id={keyId}
        name="key"
        type="password"
        className={`${inputClass} font-mono`}
        placeholder="sk_…"
        autoComplete="off"
        spellCheck={false}
        required
        aria-invalid={state.message ? true : undefined}
        aria-describedby={state.message ? errorId : undefined}
      />
      <p className={`text-xs ${mutedText}`}>
        The key your backend uses (BOOTSTRAP_SECRET_KEY or one made with npm run keys). It is checked once and not
        stored in the browser.
      </p>
      <p id={errorId} role="alert" className="min-h-5 text-sm text-red-700 dark:text-red-300">
        {state.message}
      </p>
      <button type="submit" className={buttonPrimary} disabled={pending}>
        {pending ? "Checking…" : "Sign in as operator"}
      </button>
    </form>
  );
}
