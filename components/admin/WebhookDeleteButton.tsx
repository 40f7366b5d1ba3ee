"use client";

import { startTransition, useActionState, useState } from "react";
import { deleteWebhook, type WebhookActionState } from "@/app/admin/webhooks/actions";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { buttonSecondary } from "@/components/ui/styles";

/** Deletes an endpoint after a confirmation that says what goes with it. */
export function WebhookDeleteButton({ id, url }: { id: string; url: string }) {
  const [open, setOpen] = useState(false);
  const [state, remove, removing] = useActionState<WebhookActionState, FormData>(deleteWebhook, {});

  function confirm() {
    setOpen(false);
    const form = new FormData();
    form.set("id", id);
    startTransition(() => remove(form));
  }

  return (
    <div className="flex flex-col items-end gap-1">
      <button
        type="button"
        className={`${buttonSecondary} text-red-700 dark:text-red-300`}
        onClick={() => setOpen(true)}
        disabled={removing}
        aria-label={`Delete the endpoint ${url}`}
      >
        {removing ? "Deleting…" : "Delete"}
      </button>
      <ConfirmDialog
        open={open}
        title="Delete this endpoint?"
        confirmLabel="Delete endpoint"
        onConfirm={confirm}
        onCancel={() => setOpen(false)}
      >
        <p className="break-all font-mono text-xs">{url}</p>
        <p className="mt-2">
          It receives nothing more, retries still pending included, and its delivery log is deleted with it. The
          deletion is recorded in the audit log.
        </p>
      </ConfirmDialog>
      {state.message && !state.ok ? (
        <p role="status" className="text-xs text-red-700 dark:text-red-300">
          {state.message}
        </p>
      ) : null}
    </div>
  );
}
