"use client";

import { useActionState } from "react";
import { redeliverEvent, type WebhookActionState } from "@/app/admin/webhooks/actions";
import { LocalTime } from "@/components/ui/LocalTime";
import { buttonSecondary, mutedText } from "@/components/ui/styles";
import { TableHead } from "@/components/ui/TableHead";

export interface DeliveryRow {
  eventId: string;
  type: string;
  attempts: number;
  status: "pending" | "succeeded" | "failed";
  lastResponseStatus: number | null;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
}

const STATUS = {
  pending: { label: "Pending", className: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200" },
  succeeded: {
    label: "Delivered",
    className: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  },
  failed: { label: "Failed", className: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200" },
} as const;

/** One endpoint's deliveries, newest event first, each with a button that sends it again now. */
export function DeliveryLog({ endpointId, url, rows }: { endpointId: string; url: string; rows: DeliveryRow[] }) {
  const [state, send, sending] = useActionState<WebhookActionState, FormData>(redeliverEvent, {});

  if (rows.length === 0) {
    return (
      <p
        className={`rounded-lg border border-dashed border-zinc-300 p-4 text-center text-sm dark:border-zinc-700 ${mutedText}`}
      >
        No deliveries yet: events of the chosen types are sent from the moment the endpoint was added.
      </p>
    );
  }
  return (
    <div className="flex flex-col gap-2">
      <p
        role="status"
        className={`text-sm ${state.ok ? "text-emerald-800 dark:text-emerald-300" : "text-red-700 dark:text-red-300"}`}
      >
        {state.message}
      </p>
      <div
        className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800"
        tabIndex={0}
        role="region"
        aria-label={`Deliveries to ${url}`}
      >
        <table className="w-full min-w-[44rem] text-sm tabular-nums" data-testid="delivery-table">
          <TableHead
            boxed
            columns={[
              "Event",
              "Status",
              { label: "Attempts", align: "right" },
              "Last answer",
              "Next attempt",
              "Action",
            ]}
          />
          <tbody>
            {rows.map((row) => (
              <tr
                key={row.eventId}
                className="border-t border-zinc-100 align-top dark:border-zinc-800"
                data-testid="delivery-row"
                data-event={row.eventId}
              >
                <td className="px-3 py-2">
                  <div className="font-mono text-xs">{row.type}</div>
                  <div className={`font-mono text-xs ${mutedText}`} title={row.eventId}>
                    {row.eventId}
                  </div>
                  <div className={`text-xs ${mutedText}`}>
                    <LocalTime iso={row.createdAt} />
                  </div>
                </td>
                <td className="px-3 py-2">
                  <span
                    className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATUS[row.status].className}`}
                    data-testid="delivery-status"
                  >
                    {STATUS[row.status].label}
                  </span>
                </td>
                <td className="px-3 py-2 text-right">{row.attempts}</td>
                <td className="max-w-[14rem] break-words px-3 py-2 text-xs">
                  {row.lastResponseStatus !== null
                    ? `HTTP ${row.lastResponseStatus}`
                    : (row.lastError ?? (row.attempts === 0 ? "Not sent yet" : "—"))}
                </td>
                <td className="px-3 py-2 text-xs">{row.nextAttemptAt ? <LocalTime iso={row.nextAttemptAt} /> : "—"}</td>
                <td className="px-3 py-2">
                  <form action={send}>
                    <input type="hidden" name="endpointId" value={endpointId} />
                    <input type="hidden" name="eventId" value={row.eventId} />
                    <button
                      type="submit"
                      className={buttonSecondary}
                      disabled={sending}
                      aria-label={`Redeliver ${row.type} ${row.eventId}`}
                    >
                      Redeliver
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
