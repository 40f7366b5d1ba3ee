import type { Metadata } from "next";
import Link from "next/link";
import { ResolveSignalForm } from "@/components/admin/ResolveSignalForm";
import { Card } from "@/components/ui/Card";
import { formatDateTime, shortId } from "@/components/ui/format";
import { buttonSecondary, linkClass, mutedText } from "@/components/ui/styles";
import { getPrisma } from "@/lib/db/client";
import { listSignals, type SignalView } from "@/lib/risk/review";
import { pageOrNull, queryParam, type SearchParams } from "../query";
import { currentOperator } from "../session";

export const metadata: Metadata = { title: "Review queue" };
export const dynamic = "force-dynamic";

const STATUSES = ["open", "resolved", "all"] as const;
type Status = (typeof STATUSES)[number];

export default async function ReviewPage({ searchParams }: { searchParams: SearchParams }) {
  if (!(await currentOperator())) return null;
  const params = await searchParams;
  const statusParam = queryParam(params, "status");
  const status: Status = STATUSES.includes(statusParam as Status) ? (statusParam as Status) : "open";
  const cursor = queryParam(params, "cursor");
  const page = await pageOrNull(listSignals(getPrisma(), { status, cursor, limit: 50 }));
  return (
    <>
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Review queue</h1>
        <p className={`text-sm ${mutedText}`}>
          Risk signals raised as things happen. A signal blocks nothing by itself: freeze an account from its page, or
          resolve the signal with a note.
        </p>
      </header>
      <nav aria-label="Signal status" className="flex flex-wrap gap-2 text-sm">
        {STATUSES.map((s) => (
          <Link
            key={s}
            href={`/admin/review?status=${s}`}
            aria-current={s === status ? "page" : undefined}
            className={`${buttonSecondary} aria-[current=page]:border-indigo-600 aria-[current=page]:text-indigo-800 dark:aria-[current=page]:border-indigo-400 dark:aria-[current=page]:text-indigo-200`}
          >
            {s}
          </Link>
        ))}
      </nav>
      {!page ? (
        <p className="text-sm text-red-700 dark:text-red-300">
          That page of the queue no longer exists.{" "}
          <Link href={`/admin/review?status=${status}`} className={linkClass}>
            Start over
          </Link>
        </p>
      ) : page.signals.length === 0 ? (
        <p
          className={`rounded-lg border border-dashed border-zinc-300 p-6 text-center text-sm dark:border-zinc-700 ${mutedText}`}
          data-testid="queue-empty"
        >
          {status === "open" ? "Nothing to review." : "No signals."}
        </p>
      ) : (
        <ul className="flex flex-col gap-3" data-testid="signal-list">
          {page.signals.map((s) => (
            <SignalCard key={s.id} signal={s} />
          ))}
        </ul>
      )}
      {page?.nextCursor ? (
        <Link
          href={`/admin/review?status=${status}&cursor=${encodeURIComponent(page.nextCursor)}`}
          className={`${buttonSecondary} self-start`}
        >
          Older signals
        </Link>
      ) : null}
    </>
  );
}

function SignalCard({ signal }: { signal: SignalView }) {
  return (
    <li data-testid="signal" data-kind={signal.kind} data-account={signal.accountId}>
      <Card id={`signal-${signal.id}`} title={signal.kind} level={2} description={signal.description}>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className={mutedText}>Account</dt>
          <dd>
            <Link
              href={`/admin/accounts/${encodeURIComponent(signal.accountId)}`}
              className={`${linkClass} font-mono text-xs`}
              title={signal.accountId}
            >
              {signal.accountId}
            </Link>
          </dd>
          <dt className={mutedText}>Raised</dt>
          <dd>{formatDateTime(signal.createdAt, false)}</dd>
          <dt className={mutedText}>Details</dt>
          <dd className="break-all font-mono text-xs">{JSON.stringify(signal.details)}</dd>
          {signal.status === "resolved" ? (
            <>
              <dt className={mutedText}>Resolved</dt>
              <dd>
                {signal.resolvedAt ? formatDateTime(signal.resolvedAt, false) : ""} by{" "}
                <span className="font-mono text-xs">{signal.resolvedBy ? shortId(signal.resolvedBy) : "—"}</span>: “
                {signal.resolution}”
              </dd>
            </>
          ) : null}
        </dl>
        {signal.status === "open" ? (
          <div className="mt-3">
            <ResolveSignalForm signalId={signal.id} kind={signal.kind} accountId={signal.accountId} />
          </div>
        ) : null}
      </Card>
    </li>
  );
}
