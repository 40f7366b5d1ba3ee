"use client";

import Link from "next/link";
import { useState } from "react";
import { formatLocal, shortId, type Amount } from "@/components/ui/format";
import { LocalTime } from "@/components/ui/LocalTime";
import { linkClass, mutedText } from "@/components/ui/styles";
import { TableBox } from "@/components/ui/TableBox";
import { TableHead } from "@/components/ui/TableHead";
import { useHydrated } from "@/components/ui/use-hydrated";
import type { ReferralFeeEntry } from "@/lib/hooks/referral-fees";

/**
 * A fee entry as the user's earnings page and the operator's account page both list it: the entries API's wire
 * shape (its amount may come as exact text), and for the operator what became of it.
 */
export type FeeEntryLine = Omit<ReferralFeeEntry, "amountLocal"> & {
  amountLocal: Amount;
  /** The operator's view: the claim that holds it (null while unclaimed), and whether a reversal voided it. */
  claimId?: string | null;
  voided?: boolean;
};

const tag = `ml-2 text-xs ${mutedText}`;

/** "held until …" while a hold keeps the entry out of claims; decided by the recorded dates until hydrated. */
function HoldTag({ createdAt, availableAt }: { createdAt: string; availableAt: string }) {
  const hydrated = useHydrated();
  const [now] = useState(() => Date.now());
  const until = Date.parse(availableAt);
  if (until <= Date.parse(createdAt) || (hydrated && until <= now)) return null;
  return (
    <span className={tag} data-testid="entry-hold">
      held until <LocalTime iso={availableAt} />
    </span>
  );
}

/** The rows alone, for pages of older entries appended below the first. */
export function FeeEntryRows({ entries, operator = false }: { entries: FeeEntryLine[]; operator?: boolean }) {
  return (
    <>
      {entries.map((e) => (
        <tr key={e.id} className="border-t border-zinc-100 dark:border-zinc-800" data-testid="entry-row">
          <td className="whitespace-nowrap px-3 py-2">
            <LocalTime iso={e.createdAt} />
          </td>
          <td className="whitespace-nowrap px-3 py-2 text-right">
            {formatLocal(e.amountLocal)} {e.currency}
            {e.kind !== "fee" ? <span className={tag}>{e.kind}</span> : null}
            <HoldTag createdAt={e.createdAt} availableAt={e.availableAt} />
          </td>
          {e.transactorUserId === null ? (
            <td className="px-3 py-2 text-xs">operator adjustment</td>
          ) : (
            <td className="whitespace-nowrap px-3 py-2 font-mono text-xs" title={e.transactorUserId}>
              {operator ? (
                <Link href={`/admin/accounts/${encodeURIComponent(e.transactorUserId)}`} className={linkClass}>
                  {shortId(e.transactorUserId)}
                </Link>
              ) : (
                shortId(e.transactorUserId)
              )}
            </td>
          )}
          <td className="whitespace-nowrap px-3 py-2 font-mono text-xs" title={e.orderId}>
            {shortId(e.orderId)}
          </td>
          {operator ? (
            <td className="whitespace-nowrap px-3 py-2 font-mono text-xs" data-testid="entry-claim">
              {e.voided ? "voided" : e.claimId ? shortId(e.claimId) : "unclaimed"}
            </td>
          ) : null}
        </tr>
      ))}
    </>
  );
}

/** Fee entries newest first, in a box that scrolls sideways on a narrow screen; `children` are more rows. */
export function FeeEntriesTable(props: {
  entries: FeeEntryLine[];
  caption: string;
  /** The heading that names the box. */
  labelledBy: string;
  testId: string;
  operator?: boolean;
  children?: React.ReactNode;
}) {
  const columns = ["When", { label: "Fee earned", align: "right" as const }, "From referral", "Order"];
  return (
    <TableBox labelledBy={props.labelledBy}>
      <table className="w-full min-w-[32rem] text-sm tabular-nums" data-testid={props.testId}>
        <caption className="sr-only">{props.caption}</caption>
        <TableHead boxed columns={props.operator ? [...columns, "Claim"] : columns} />
        <tbody>
          <FeeEntryRows entries={props.entries} operator={props.operator} />
          {props.children}
        </tbody>
      </table>
    </TableBox>
  );
}
