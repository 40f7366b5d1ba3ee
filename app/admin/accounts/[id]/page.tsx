import type { Metadata } from "next";
import Link from "next/link";
import { FreezeControls } from "@/components/admin/AccountActions";
import { Card, Stat } from "@/components/ui/Card";
import { formatCount, formatDateTime, formatLocal, formatPoints, formatUsd, shortId } from "@/components/ui/format";
import { linkClass, mutedText } from "@/components/ui/styles";
import { TableHead } from "@/components/ui/TableHead";
import { accountPage, type AccountPage } from "@/lib/admin/accounts";
import { walletConfig } from "@/lib/auth/wallet-config";
import { getPrisma } from "@/lib/db/client";
import { explorerTxUrl } from "@/lib/payouts/explorer";
import { currentOperator } from "../../session";

export const metadata: Metadata = { title: "Account" };
export const dynamic = "force-dynamic";

const when = (d: Date | string) => formatDateTime(typeof d === "string" ? d : d.toISOString(), false);

function AccountLink({ id }: { id: string }) {
  return (
    <Link href={`/admin/accounts/${encodeURIComponent(id)}`} className={`${linkClass} font-mono text-xs`} title={id}>
      {shortId(id)}
    </Link>
  );
}

function Empty({ children }: { children: React.ReactNode }) {
  return <p className={`text-sm ${mutedText}`}>{children}</p>;
}

function Scroll({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}

export default async function AccountDetailPage({ params }: { params: Promise<{ id: string }> }) {
  if (!(await currentOperator())) return null;
  const { id } = await params;
  const page = await accountPage(getPrisma(), decodeURIComponent(id));
  if (!page) {
    return (
      <>
        <h1 className="text-2xl font-semibold tracking-tight">No such account</h1>
        <p className={`text-sm ${mutedText}`}>
          No account has the id <span className="font-mono">{id}</span>.{" "}
          <Link href="/admin/accounts" className={linkClass}>
            Search accounts
          </Link>
        </p>
      </>
    );
  }
  const { account } = page;
  return (
    <>
      <header className="flex flex-col gap-2">
        <p className={`text-sm ${mutedText}`}>
          <Link href="/admin/accounts" className={linkClass}>
            Accounts
          </Link>{" "}
          / {account.kind}
        </p>
        <h1 className="break-all font-mono text-xl font-semibold tracking-tight" data-testid="account-heading">
          {account.id}
        </h1>
        {account.frozenAt ? (
          <p
            role="status"
            data-testid="account-frozen-banner"
            className="rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-50"
          >
            <span className="font-semibold">Frozen since {when(account.frozenAt)}:</span> {account.frozenReason}. It
            keeps earning; its claims are refused.
          </p>
        ) : null}
      </header>
      <div className="grid gap-4 lg:grid-cols-2">
        <Details page={page} />
        <Card id="freeze-heading" title="Claims" description={account.frozenAt ? "Frozen." : "Open: it may claim."}>
          <FreezeControls
            accountId={account.id}
            frozen={account.frozenAt !== null}
            frozenReason={account.frozenReason}
          />
        </Card>
      </div>
      <Network page={page} />
      <Earnings page={page} />
      <Transactions page={page} />
      <FeeEntries page={page} />
      <Claims page={page} />
      <Signals page={page} />
      <Audit page={page} />
    </>
  );
}

function Details({ page }: { page: AccountPage }) {
  const a = page.account;
  const rows: [string, React.ReactNode][] = [
    ["Kind", a.kind],
    ["Referred by", a.referrerId ? <AccountLink id={a.referrerId} /> : "—"],
    [
      "Wallet",
      a.walletAddress ? <span className="break-all font-mono text-xs">{a.walletAddress}</span> : "none linked",
    ],
    [
      "Wallets before",
      page.pastWallets.length ? (
        <span className="break-all font-mono text-xs">{page.pastWallets.join(", ")}</span>
      ) : (
        "—"
      ),
    ],
    ["Wallet replaced", a.walletChangedAt ? when(a.walletChangedAt) : "never"],
    ["Email", a.email ?? "—"],
    ["External id", a.externalId ?? "—"],
    ["Created", when(a.createdAt)],
  ];
  return (
    <Card id="details-heading" title="Account">
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className={mutedText}>{label}</dt>
            <dd className="min-w-0 break-words">{value}</dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}

function Network({ page }: { page: AccountPage }) {
  const n = page.stats.network;
  return (
    <Card
      id="network-heading"
      title="Network"
      description="Accounts it referred, on three levels; newest direct referrals below."
    >
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <Stat label="Direct" value={formatCount(n.direct)} testId="network-direct" />
        <Stat label="Second level" value={formatCount(n.secondary)} />
        <Stat label="Third level" value={formatCount(n.tertiary)} />
        <Stat label="Total" value={formatCount(n.total)} />
      </dl>
      {page.referrals.length > 0 ? (
        <ul className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-sm">
          {page.referrals.map((r) => (
            <li key={r.id}>
              <AccountLink id={r.id} />
              {r.referredAt ? <span className={`ml-1 text-xs ${mutedText}`}>{when(r.referredAt)}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </Card>
  );
}

function Earnings({ page }: { page: AccountPage }) {
  const e = page.stats.earnings as Record<string, { toFixed(): string }>;
  const columns = Object.keys(e).filter((k) => k !== "total");
  return (
    <Card
      id="ledger-heading"
      title="Points ledger"
      description="All-time points by kind, from the ledger's maintained totals: reversals are already netted in, adjustments have their own column."
    >
      <Scroll label="Points by kind">
        <table className="w-full min-w-[32rem] text-sm tabular-nums" data-testid="ledger-totals">
          <TableHead columns={[...columns, "total"].map((c) => ({ label: c, align: "right" as const }))} />
          <tbody>
            <tr className="border-t border-zinc-100 dark:border-zinc-800">
              {[...columns, "total"].map((c) => (
                <td key={c} className="py-2 text-right">
                  {formatPoints(e[c]!.toFixed())}
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </Scroll>
    </Card>
  );
}

function Transactions({ page }: { page: AccountPage }) {
  return (
    <Card
      id="transactions-heading"
      title="Its transactions"
      description="Offramp and pay transactions it made, newest first."
    >
      {page.transactions.length === 0 ? (
        <Empty>None.</Empty>
      ) : (
        <Scroll label="Its transactions">
          <table className="w-full min-w-[40rem] text-sm tabular-nums" data-testid="transactions-table">
            <TableHead
              columns={[
                "Order",
                "Type",
                { label: "Amount", align: "right", className: "pr-3" },
                { label: "Referrer fee", align: "right", className: "pr-3" },
                "Referrer",
                "When",
              ]}
            />
            <tbody>
              {page.transactions.map((t) => (
                <tr
                  key={t.orderId}
                  className="border-t border-zinc-100 dark:border-zinc-800"
                  data-testid="transaction-row"
                >
                  <td className="py-2 pr-3 font-mono text-xs">{t.orderId}</td>
                  <td className="py-2 pr-3">{t.type}</td>
                  <td className="py-2 pr-3 text-right">
                    {formatLocal(t.amount.toFixed())} {t.currency}
                  </td>
                  <td className="py-2 pr-3 text-right">{formatLocal(t.referrerFee.toFixed())}</td>
                  <td className="py-2 pr-3">{t.referrerId ? <AccountLink id={t.referrerId} /> : "—"}</td>
                  <td className="py-2">{when(t.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Scroll>
      )}
    </Card>
  );
}

function FeeEntries({ page }: { page: AccountPage }) {
  return (
    <Card
      id="fees-heading"
      title="Fee entries"
      description="What it earned as a referrer, claimed or not, newest first."
    >
      {page.feeEntries.length === 0 ? (
        <Empty>None.</Empty>
      ) : (
        <Scroll label="Fee entries">
          <table className="w-full min-w-[40rem] text-sm tabular-nums" data-testid="fee-entries-table">
            <TableHead
              columns={[
                "Order",
                { label: "Amount", align: "right", className: "pr-3" },
                "Kind",
                "From",
                "Claim",
                "Available",
                "When",
              ]}
            />
            <tbody>
              {page.feeEntries.map((f) => (
                <tr key={f.id} className="border-t border-zinc-100 dark:border-zinc-800" data-testid="fee-entry-row">
                  <td className="py-2 pr-3 font-mono text-xs">{f.orderId}</td>
                  <td className="py-2 pr-3 text-right">
                    {formatLocal(f.amount.toFixed())} {f.currency}
                  </td>
                  <td className="py-2 pr-3">{f.kind}</td>
                  <td className="py-2 pr-3">{f.transactorId ? <AccountLink id={f.transactorId} /> : "—"}</td>
                  <td className="py-2 pr-3 font-mono text-xs">
                    {f.voidedAt ? "voided" : f.claimId ? shortId(f.claimId) : "unclaimed"}
                  </td>
                  <td className="py-2 pr-3">{when(f.availableAt)}</td>
                  <td className="py-2">{when(f.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Scroll>
      )}
    </Card>
  );
}

function Claims({ page }: { page: AccountPage }) {
  const { chainId } = walletConfig();
  return (
    <Card id="claims-heading" title="Claims" description="USDC transfers, newest first.">
      {page.claims.length === 0 ? (
        <Empty>None.</Empty>
      ) : (
        <Scroll label="Claims">
          <table className="w-full min-w-[40rem] text-sm tabular-nums" data-testid="claims-table">
            <TableHead columns={["Claim", { label: "Amount", align: "right" }, "Status", "Transaction", "When"]} />
            <tbody>
              {page.claims.map((c) => {
                const url = c.transactionHash ? explorerTxUrl(c.transactionHash, chainId) : null;
                return (
                  <tr key={c.id} className="border-t border-zinc-100 align-top dark:border-zinc-800">
                    <td className="py-2 pr-3 font-mono text-xs">{shortId(c.id)}</td>
                    <td className="py-2 pr-3 text-right">{formatUsd(c.amountUsd.toFixed())}</td>
                    <td className="py-2 pr-3">
                      {c.status.toLowerCase()}
                      {c.failureReason ? (
                        <div className={`max-w-[16rem] text-xs ${mutedText}`}>{c.failureReason}</div>
                      ) : null}
                    </td>
                    <td className="py-2 pr-3 font-mono text-xs">
                      {c.transactionHash ? (
                        url ? (
                          <a href={url} className={linkClass} target="_blank" rel="noreferrer">
                            {shortId(c.transactionHash)}
                          </a>
                        ) : (
                          <span title={c.transactionHash}>{shortId(c.transactionHash)}</span>
                        )
                      ) : (
                        "—"
                      )}
                    </td>
                    <td className="py-2">{when(c.createdAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </Scroll>
      )}
    </Card>
  );
}

function Signals({ page }: { page: AccountPage }) {
  return (
    <Card
      id="signals-heading"
      title="Risk signals"
      description={
        <>
          About this account, open and resolved. Resolve them in the{" "}
          <Link href="/admin/review" className={linkClass}>
            review queue
          </Link>
          .
        </>
      }
    >
      {page.signals.length === 0 ? (
        <Empty>None.</Empty>
      ) : (
        <ul
          className="flex flex-col divide-y divide-zinc-100 text-sm dark:divide-zinc-800"
          data-testid="account-signals"
        >
          {page.signals.map((s) => (
            <li key={s.id} className="flex flex-col gap-0.5 py-2">
              <span>
                <span className="font-medium">{s.kind}</span> — {s.description}
              </span>
              <span className={`text-xs ${mutedText}`}>
                {when(s.createdAt)} · {s.status}
                {s.resolution ? ` · “${s.resolution}”` : ""}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function Audit({ page }: { page: AccountPage }) {
  return (
    <Card
      id="audit-heading"
      title="Audit log"
      description={
        <>
          Operator actions on this account, newest first.{" "}
          <Link href={`/admin/audit?target=${encodeURIComponent(page.account.id)}`} className={linkClass}>
            All of them
          </Link>
        </>
      }
    >
      {page.audit.length === 0 ? (
        <Empty>None.</Empty>
      ) : (
        <ul className="flex flex-col divide-y divide-zinc-100 text-sm dark:divide-zinc-800" data-testid="account-audit">
          {page.audit.map((e) => (
            <li key={e.id} className="flex flex-wrap gap-x-3 py-2">
              <span className="font-medium">{e.action}</span>
              <span className="font-mono text-xs">{e.actor}</span>
              <span className={`text-xs ${mutedText}`}>{when(e.at)}</span>
              <span className="w-full break-all font-mono text-xs">{JSON.stringify(e.details)}</span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
