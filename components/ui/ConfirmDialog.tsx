"use client";

import { useEffect, useId, useRef } from "react";
import { buttonPrimary, buttonSecondary } from "./styles";

/**
 * A modal confirmation on the native <dialog>: the browser traps focus, Escape cancels, and focus returns to
 * the control that opened it.
 */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  children: React.ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const bodyId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onCancel={(e) => {
        e.preventDefault();
        props.onCancel();
      }}
      className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-xl border border-zinc-200 bg-white p-5 text-zinc-900 shadow-xl backdrop:bg-black/50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
    >
      <h2 id={titleId} className="text-lg font-semibold">
        {props.title}
      </h2>
      <div id={bodyId} className="mt-2 text-sm text-zinc-700 dark:text-zinc-300">
        {props.children}
      </div>
      <div className="mt-5 flex flex-wrap justify-end gap-2">
        <button type="button" className={buttonSecondary} onClick={props.onCancel}>
          Cancel
        </button>
        <button type="button" className={buttonPrimary} onClick={props.onConfirm} autoFocus>
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
