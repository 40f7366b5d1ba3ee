import type { Metadata } from "next";
import Link from "next/link";
import { AttentionClaims } from "@/components/admin/AttentionClaims";
import { Card, Stat } from "@/components/ui/Card";
import {
  formatAge,
  formatCount,
  formatDateTime,
  formatLocal,
  formatPoints,
  formatUsd,
  shortId,
} from "@/components/ui/format";
import { buttonSecondary, cardClass, mutedText } from "@/components/ui/styles";
import { TableHead } from "@/components/ui/TableHead";
import { operatorOverview, type OperatorOverview } from "@/lib/admin/overview";
import { getReadPrisma } from "@/lib/db/client";
import { currentOperator } from "./session";

export const metadata: Metadata = { title: "Operator overview" };
export const dynamic = "force-dynamic";

export default async function AdminPage() {
  // The layout shows the sign-in form instead of this page when no operator is signed in.
  if (!(await currentOperator())) return null;
  const now = new Date();
  const view = await operatorOverview(getReadPrisma(), process.env, now);
  return (
    <>
      <header className="flex flex-wrap items-end justify-between gap-3">
        <div className="flex flex-col gap-1">
          <h1 className="text-2xl font-semibold tracking-tight">Operator overview</h1>
          <p className={`text-sm ${mutedText}`}>As of {formatDateTime(now.toISOString(), false)}.</p>
        </div>
        <Link href="/admin" className={buttonSecondary}>
          Refresh
        </Link>
      </header>
      <Totals view={view} />
      <div className="grid gap-4 lg:grid-cols-2">
        <Payouts view={view} />
        <Rates view={view} now={now} />
      </div>
      <Card
        id="attention-heading"
        title="Claims needing attention"
        description="Pending claims and failed claims that no later claim has followed."
      >
        <AttentionClaims
          rows={view.attention.map((c) => ({
            id: c.id,
            accountId: c.accountId,
            status: c.status,
            amountUsd: c.amountUsd.toFixed(),
            createdAt: c.createdAt.toISOString(),
            age: formatAge(now.getTime() - c.createdAt.getTime()),
            failureReason: c.failureReason,
            transactionHash: c.transactionHash,
          }))}
        />
      </Card>
      <Recent view={view} now={now} />
    </>
  );
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

function Totals({ view }: { view: OperatorOverview }) {
  const claim = (status: "PENDING" | "COMPLETED" | "FAILED") => view.claims.find((c) => c.status === status)!;
  const a = view.accounts;
  return (
    <section aria-labelledby="totals-heading" className="flex flex-col gap-3">
      <h2 id="totals-heading" className="text-lg font-semibold tracking-tight">
        Totals
      </h2>
      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat
          label="Accounts"
          value={`${a.estimated ? "≈ " : ""}${formatCount(a.total)}`}
          hint={
            a.estimated
              ? "Planner's estimate"
              : `${plural(a.users ?? 0, "user")}, ${plural(a.providers ?? 0, "provider")}`
          }
          testId="admin-accounts"
        />
        <Stat
          label="Paid out"
          value={formatUsd(claim("COMPLETED").amountUsd.toFixed())}
          hint={`${plural(claim("COMPLETED").count, "completed claim")}`}
          testId="admin-paid"
        />
        <Stat
          label="Pending claims"
          value={formatCount(claim("PENDING").count)}
          hint={formatUsd(claim("PENDING").amountUsd.toFixed())}
          testId="admin-pending"
        />
        <Stat
          label="Failed claims"
          value={formatCount(claim("FAILED").count)}
          hint="All time; fees stayed claimable"
          testId="admin-failed"
        />
      </dl>
      <div className={cardClass}>
        <h3 className="text-sm font-semibold">Unclaimed referral fees</h3>
        {view.unclaimedFees.length === 0 ? (
          <p className={`mt-2 text-sm ${mutedText}`}>None.</p>
        ) : (
          <ul className="mt-2 flex flex-wrap gap-x-6 gap-y-1 text-sm tabular-nums" data-testid="admin-unclaimed">
            {view.unclaimedFees.map((f) => (
              <li key={f.currency}>
                <span className="font-medium">{formatLocal(f.amount.toFixed())}</span> {f.currency}{" "}
                <span className={mutedText}>({plural(f.entries, "entry", "entries")})</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

function Payouts({ view }: { view: OperatorOverview }) {
  const w = view.payouts.wallet;
  return (
    <Card
      id="payouts-heading"
      title="Payout wallet"
      description={view.payouts.paused ? "Claims are paused (PAYOUTS_PAUSED)." : "Claims are open."}
    >
      {!w.configured ? (
        <p className="text-sm text-amber-800 dark:text-amber-200">Not configured: {w.reason}</p>
      ) : (
        <div className="flex flex-col gap-3">
          <p className="break-all font-mono text-xs" data-testid="payout-address">
            {w.address}
          </p>
          <dl className="grid gap-3 sm:grid-cols-2">
            <div>
              <dt className={`text-xs ${mutedText}`}>USDC</dt>
              <dd className="text-xl font-semibold tabular-nums" data-testid="payout-usdc">
                {w.usdc ? formatUsd(w.usdc.toFixed()) : "Unknown"}
              </dd>
            </div>
            <div>
              <dt className={`text-xs ${mutedText}`}>ETH for gas</dt>
              <dd className="text-xl font-semibold tabular-nums" data-testid="payout-eth">
                {w.eth ? formatPoints(w.eth.toFixed()) : "Unknown"}
              </dd>
            </div>
          </dl>
          <p className={`text-xs ${mutedText}`}>
            Chain {w.chainId}, USDC contract <span className="break-all font-mono">{w.usdcAddress}</span>
          </p>
          {w.error ? <p className="text-sm text-red-700 dark:text-red-300">{w.error}</p> : null}
        </div>
      )}
    </Card>
  );
}

function Rates({ view, now }: { view: OperatorOverview; now: Date }) {
  return (
    <Card
      id="rates-heading"
      title="Exchange rates"
      description={`USD per unit. A claim refuses a rate older than ${formatCount(view.rates.maxAgeSeconds / 3600)} h.`}
    >
      <div className="overflow-x-auto" tabIndex={0} role="region" aria-labelledby="rates-heading">
        <table className="w-full min-w-[24rem] text-sm tabular-nums" data-testid="rates-table">
          <TableHead
            columns={["Currency", { label: "USD", align: "right" }, { label: "Updated", className: "pl-3" }, "Source"]}
          />
          <tbody>
            {view.rates.list.map((r) => (
              <tr
                key={r.currency}
                className="border-t border-zinc-100 dark:border-zinc-800"
                data-testid="rate-row"
                data-currency={r.currency}
              >
                <th scope="row" className="py-1.5 text-left font-medium">
                  {r.currency}
                </th>
                <td className="py-1.5 text-right font-mono text-xs">{r.usd ? r.usd.toFixed() : "—"}</td>
                <td className="py-1.5 pl-3">
                  {r.updatedAt ? formatAge(now.getTime() - r.updatedAt.getTime()) : "Never"}
                  {r.stale ? (
                    <span className="ml-2 rounded bg-amber-100 px-1.5 text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-200">
                      stale
                    </span>
                  ) : null}
                </td>
                <td className={`max-w-[10rem] truncate py-1.5 text-xs ${mutedText}`} title={r.source ?? undefined}>
                  {r.source ?? "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

function Recent({ view, now }: { view: OperatorOverview; now: Date }) {
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Card
        id="activity-heading"
        title="Recent rewards"
        description="Usage and compute rewards and direct bonuses, newest first."
      >
        <RecentList
          testId="recent-activity"
          empty="No rewards yet."
          now={now}
          rows={view.recentActivity.map((a) => ({
            key: `${a.sourceEvent}-${a.accountId}`,
            accountId: a.accountId,
            what: `+${formatPoints(a.amount.toFixed())} pts ${a.kind === "DIRECT_BONUS" ? "bonus" : "earned"}`,
            at: a.createdAt,
          }))}
        />
      </Card>
      <Card
        id="transactions-heading"
        title="Recent transactions"
        description="Offramp and pay transactions, newest first."
      >
        <RecentList
          testId="recent-transactions"
          empty="No transactions yet."
          now={now}
          rows={view.recentTransactions.map((t) => ({
            key: t.orderId,
            accountId: t.userId,
            what:
              `${formatLocal(t.amount.toFixed())} ${t.currency}` +
              (t.referrerFee.isZero() ? "" : ` (referrer ${formatLocal(t.referrerFee.toFixed())})`),
            at: t.createdAt,
          }))}
        />
      </Card>
    </div>
  );
}

/** The latest rows of one kind, newest first: whose, what, how long ago. */
function RecentList(props: {
  testId: string;
  empty: string;
  now: Date;
  rows: { key: string; accountId: string; what: string; at: Date }[];
}) {
  if (props.rows.length === 0) return <p className={`text-sm ${mutedText}`}>{props.empty}</p>;
  return (
    <ul className="flex flex-col divide-y divide-zinc-100 text-sm dark:divide-zinc-800" data-testid={props.testId}>
      {props.rows.map((row) => (
        <li key={row.key} className="flex flex-wrap justify-between gap-x-3 py-1.5">
          <span className="font-mono text-xs" title={row.accountId}>
            {shortId(row.accountId)}
          </span>
          <span className="tabular-nums">{row.what}</span>
          <span className={`text-xs ${mutedText}`}>{formatAge(props.now.getTime() - row.at.getTime())}</span>
        </li>
      ))}
    </ul>
  );
}
