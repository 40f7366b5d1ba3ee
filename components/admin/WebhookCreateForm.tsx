"use client";

import { useActionState, useId, useState } from "react";
import { createWebhook, type WebhookActionState } from "@/app/admin/webhooks/actions";
import { CopyButton } from "@/components/ui/CopyButton";
import { buttonPrimary, inputClass, mutedText } from "@/components/ui/styles";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/event-types";

/**
 * Registers an endpoint. Its signing secret comes back in the action's answer and is shown here once, with a
 * copy button: nothing shows it again.
 */
export function WebhookCreateForm() {
  const [state, create, creating] = useActionState<WebhookActionState, FormData>(createWebhook, {});
  const [all, setAll] = useState(true);
  const urlId = useId();
  const descriptionId = useId();
  const hintId = useId();

  return (
    <div className="flex flex-col gap-4">
      {/* After an action React resets the form's fields, the "every type" box with them. */}
      <form action={create} onReset={() => setAll(true)} className="flex flex-col gap-4" aria-describedby={hintId}>
        <div className="grid gap-4 sm:grid-cols-2">
          <div className="flex flex-col gap-1">
            <label htmlFor={urlId} className="text-sm font-medium">
              URL
            </label>
            <input
              id={urlId}
              name="url"
              type="url"
              required
              placeholder="https://hooks.example.com/referrals"
              className={inputClass}
            />
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor={descriptionId} className="text-sm font-medium">
              Description <span className={`font-normal ${mutedText}`}>(optional)</span>
            </label>
            <input id={descriptionId} name="description" maxLength={500} className={inputClass} />
          </div>
        </div>
        <fieldset className="flex flex-col gap-2">
          <legend className="text-sm font-medium">Events</legend>
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              name="events"
              value="*"
              checked={all}
              onChange={(e) => setAll(e.target.checked)}
              className="size-4"
            />
            Every event type
          </label>
          {all ? null : (
            <div className="grid gap-x-4 gap-y-2 sm:grid-cols-2 lg:grid-cols-4">
              {WEBHOOK_EVENT_TYPES.map((type) => (
                <label key={type} className="flex items-center gap-2 font-mono text-xs">
                  <input type="checkbox" name="events" value={type} className="size-4" />
                  {type}
                </label>
              ))}
            </div>
          )}
        </fieldset>
        <p id={hintId} className={`text-xs ${mutedText}`}>
          Each event is POSTed with Standard Webhooks signature headers and retried for about two days until it is
          answered with a 2xx.
        </p>
        <div>
          <button type="submit" className={buttonPrimary} disabled={creating}>
            {creating ? "Adding…" : "Add endpoint"}
          </button>
        </div>
      </form>
      <p
        role="status"
        data-testid="webhook-create-outcome"
        className={`text-sm ${state.ok ? "text-emerald-800 dark:text-emerald-300" : "text-red-700 dark:text-red-300"}`}
      >
        {state.message}
      </p>
      {state.secret ? (
        <div className="flex flex-col gap-2 rounded-lg border border-amber-300 bg-amber-50 p-4 dark:border-amber-700 dark:bg-amber-950/40">
          <p className="text-sm font-medium text-amber-900 dark:text-amber-100">
            Signing secret: copy it now, it will not be shown again.
          </p>
          <div className="flex flex-wrap items-center gap-2">
            <code
              className="break-all rounded bg-white px-2 py-1 font-mono text-xs text-zinc-900 dark:bg-zinc-900 dark:text-zinc-100"
              data-testid="webhook-secret"
            >
              {state.secret}
            </code>
            <CopyButton value={state.secret} label="Copy the signing secret" />
          </div>
        </div>
      ) : null}
    </div>
  );
}
