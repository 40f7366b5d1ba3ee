"use client";

import { useActionState } from "react";
import { reconcileNow, retryClaim, type ActionState } from "@/app/admin/actions";
import { formatUsd, shortId } from "@/components/ui/format";
import { buttonSecondary, mutedText } from "@/components/ui/styles";
import { TableHead } from "@/components/ui/TableHead";
import { EmptyNote, TableBox } from "@/components/ui/TableBox";

export interface AttentionRow {
  id: string;
  accountId: string;
  status: "PENDING" | "FAILED";
  amountUsd: string;
  createdAt: string;
  /** "5 min ago", from the server's render. */
  age: string;
  failureReason: string | null;
  transactionHash: string | null;
}

function Outcome({ state, testId }: { state: ActionState; testId: string }) {
  return (
    <p
      role="status"
      data-testid={testId}
      className={`text-sm ${state.ok ? "text-emerald-800 dark:text-emerald-300" : "text-red-700 dark:text-red-300"}`}
    >
      {state.message}
    </p>
  );
}

/**
 * Claims the operator may need to act on: PENDING ones (settled by the reconciler; it can be run now) and FAILED
 * ones no later claim has followed (retry = claim that account's released fees again). The outcome stays on
 * screen after the page refreshes and the row leaves the list.
 */
export function AttentionClaims({ rows }: { rows: AttentionRow[] }) {
  const [retried, retry, retrying] = useActionState<ActionState, FormData>(retryClaim, {});
  const [settled, settle, settling] = useActionState<ActionState>(reconcileNow, {});
  const hasPending = rows.some((r) => r.status === "PENDING");

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0 flex-1">
          <Outcome state={retried} testId="retry-outcome" />
          <Outcome state={settled} testId="reconcile-outcome" />
        </div>
        <form action={settle}>
          <button type="submit" className={buttonSecondary} disabled={settling || !hasPending}>
            {settling ? "Settling…" : "Settle pending claims now"}
          </button>
        </form>
      </div>
      {rows.length === 0 ? (
        <EmptyNote>
          Nothing needs attention: no pending claims, and every failed claim has been followed by another.
        </EmptyNote>
      ) : (
        <TableBox label="Claims needing attention">
          <table className="w-full min-w-[40rem] text-sm tabular-nums" data-testid="attention-table">
            <TableHead boxed columns={["Account", { label: "Amount", align: "right" }, "Status", "Why", "Action"]} />
            <tbody>
              {rows.map((row) => (
                <tr
                  key={row.id}
                  className="border-t border-zinc-100 align-top dark:border-zinc-800"
                  data-testid="attention-row"
                  data-account={row.accountId}
                >
                  <td className="px-3 py-2 font-mono text-xs" title={row.accountId}>
                    {shortId(row.accountId)}
                    <div className={`font-sans ${mutedText}`}>{row.age}</div>
                  </td>
                  <td className="px-3 py-2 text-right">{formatUsd(row.amountUsd)}</td>
                  <td className="px-3 py-2">{row.status === "FAILED" ? "Failed" : "Pending"}</td>
                  <td className="max-w-[18rem] break-words px-3 py-2 text-xs">
                    {row.status === "FAILED"
                      ? (row.failureReason ?? "—")
                      : row.transactionHash
                        ? `Waiting for ${shortId(row.transactionHash)}`
                        : "Not signed yet"}
                  </td>
                  <td className="px-3 py-2">
                    {row.status === "FAILED" ? (
                      <form action={retry}>
                        <input type="hidden" name="claimId" value={row.id} />
                        <button
                          type="submit"
                          className={buttonSecondary}
                          disabled={retrying}
                          aria-label={`Retry the failed claim of ${row.accountId}`}
                        >
                          {retrying ? "Retrying…" : "Retry"}
                        </button>
                      </form>
                    ) : (
                      <span className={`text-xs ${mutedText}`}>Settles on its own</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableBox>
      )}
    </div>
  );
}
