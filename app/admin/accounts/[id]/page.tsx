import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import Link from "next/link";
import { AdjustForm, FreezeControls, ReverseTransactionForm } from "@/components/admin/AccountActions";
import { AuditTable } from "@/components/admin/AuditTable";
import { reversalChange, signedAmount } from "@/components/admin/correction-words";
import { FeeEntriesTable } from "@/components/fees/FeeEntriesTable";
import { Card, Stat } from "@/components/ui/Card";
import { formatCount, formatLocal, formatPoints, formatUsd, shortId } from "@/components/ui/format";
import { LocalTime } from "@/components/ui/LocalTime";
import { linkClass, mutedText } from "@/components/ui/styles";
import { TableBox } from "@/components/ui/TableBox";
import { TableHead, type Column } from "@/components/ui/TableHead";
import { accountPage, type AccountPage } from "@/lib/admin/accounts";
import { walletConfig } from "@/lib/auth/wallet-config";
import { getPrisma } from "@/lib/db/client";
import { explorerTxUrl } from "@/lib/payouts/explorer";
import { currentOperator } from "../../session";

export const metadata: Metadata = { title: "Account" };
export const dynamic = "force-dynamic";

const when = (d: Date | string) => <LocalTime iso={typeof d === "string" ? d : d.toISOString()} />;

function AccountLink({ id }: { id: string }) {
  return (
    <Link href={`/admin/accounts/${encodeURIComponent(id)}`} className={`${linkClass} font-mono text-xs`} title={id}>
      {shortId(id)}
    </Link>
  );
}

/** The lists below the account's details: each one's heading (`<name>-heading`) and what it shows. */
const SECTIONS = {
  transactions: { title: "Its transactions", about: "Offramp and pay transactions it made, newest first." },
  fees: { title: "Fee entries", about: "What it earned as a referrer, with clawbacks and adjustments; newest first." },
  claims: { title: "Claims", about: "USDC transfers, newest first." },
  signals: { title: "Risk signals", about: "About this account, open and resolved." },
  audit: { title: "Audit log", about: "Operator actions on this account, newest first." },
} as const;

/** One of the lists: its content, or "None." when it has nothing to show; `more` adds to the description. */
function Section(props: {
  name: keyof typeof SECTIONS;
  empty: boolean;
  more?: React.ReactNode;
  children: React.ReactNode;
}) {
  const { title, about } = SECTIONS[props.name];
  return (
    <Card
      id={`${props.name}-heading`}
      title={title}
      description={
        <>
          {about}
          {props.more ? <> {props.more}</> : null}
        </>
      }
    >
      {props.empty ? <p className={`text-sm ${mutedText}`}>None.</p> : props.children}
    </Card>
  );
}

/** A table in a box that scrolls sideways on a narrow screen, named by its section's heading. */
function BoxedTable(props: {
  labelledBy: string;
  testId: string;
  /** A Tailwind min-width class, written out so Tailwind sees it. */
  minWidth: string;
  columns: (string | Column)[];
  children: React.ReactNode;
}) {
  return (
    <TableBox labelledBy={props.labelledBy}>
      <table className={`w-full ${props.minWidth} text-sm tabular-nums`} data-testid={props.testId}>
        <TableHead boxed columns={props.columns} />
        <tbody>{props.children}</tbody>
      </table>
    </TableBox>
  );
}

const row = "border-t border-zinc-100 align-top dark:border-zinc-800";
const cell = "px-3 py-2";

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
        <div className="flex min-w-0 flex-col gap-4">
          <Card id="freeze-heading" title="Claims" description={account.frozenAt ? "Frozen." : "Open: it may claim."}>
            <FreezeControls accountId={account.id} frozen={account.frozenAt !== null} />
          </Card>
          <Adjust page={page} />
        </div>
      </div>
      <Network page={page} />
      <Earnings page={page} />
      <Transactions page={page} />
      <Section name="fees" empty={page.feeEntries.length === 0}>
        <FeeEntriesTable
          operator
          entries={page.feeEntries.map((f) => ({
            id: f.id,
            createdAt: f.createdAt.toISOString(),
            amountLocal: f.amount.toFixed(),
            currency: f.currency,
            kind: f.kind,
            transactorUserId: f.transactorId,
            orderId: f.orderId,
            availableAt: f.availableAt.toISOString(),
            claimId: f.claimId,
            voided: f.voidedAt !== null,
          }))}
          caption="Fee entries, newest first"
          labelledBy="fees-heading"
          testId="fee-entries-table"
        />
      </Section>
      <Claims page={page} />
      <Signals page={page} />
      <Section
        name="audit"
        empty={page.audit.length === 0}
        more={
          <Link href={`/admin/audit?target=${encodeURIComponent(account.id)}`} className={linkClass}>
            All of them
          </Link>
        }
      >
        <AuditTable entries={page.audit} label="Audit entries about this account" testId="account-audit" />
      </Section>
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

function Adjust({ page }: { page: AccountPage }) {
  return (
    <Card id="adjust-heading" title="Adjust" description="Credit or take away POINTS or a currency, with a reason.">
      {/* Drawn per rendering: submitting this form twice records one adjustment. */}
      <AdjustForm accountId={page.account.id} adjustmentId={randomUUID()} />
      {page.adjustments.length > 0 ? (
        <ul
          className="mt-4 flex flex-col divide-y divide-zinc-100 border-t border-zinc-100 text-sm dark:divide-zinc-800 dark:border-zinc-800"
          data-testid="account-adjustments"
        >
          {page.adjustments.map((a) => (
            <li key={a.adjustmentId} className="flex flex-wrap gap-x-3 py-2">
              <span className="font-medium tabular-nums">{signedAmount(a.amount.toFixed(), a.unit)}</span>
              <span className="min-w-0 break-words">{a.reason}</span>
              <span className={`text-xs ${mutedText}`}>
                {when(a.createdAt)} · <span className="font-mono">{a.actor}</span>
              </span>
            </li>
          ))}
        </ul>
      ) : null}
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
        <ul className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-sm" data-testid="account-referrals">
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
  const columns = [...Object.keys(e).filter((k) => k !== "total"), "total"];
  return (
    <Card
      id="ledger-heading"
      title="Points ledger"
      description="All-time points by kind, from the ledger's maintained totals: reversals are already netted in, adjustments have their own column."
    >
      <BoxedTable
        labelledBy="ledger-heading"
        testId="ledger-totals"
        minWidth="min-w-[32rem]"
        columns={columns.map((c) => ({ label: c, align: "right" as const }))}
      >
        <tr className={row}>
          {columns.map((c) => (
            <td key={c} className={`${cell} text-right`}>
              {formatPoints(e[c]!.toFixed())}
            </td>
          ))}
        </tr>
      </BoxedTable>
    </Card>
  );
}

const REVERSED = { voided: "fee voided", "clawed back": "fee clawed back", "no fee": "no fee to take back" } as const;

function Transactions({ page }: { page: AccountPage }) {
  return (
    <Section name="transactions" empty={page.transactions.length === 0} more="Reversing one takes back its fee.">
      <BoxedTable
        labelledBy="transactions-heading"
        testId="transactions-table"
        minWidth="min-w-[52rem]"
        columns={[
          "Order",
          "Type",
          { label: "Amount", align: "right" },
          { label: "Referrer fee", align: "right" },
          "Referrer",
          "When",
          "Reversal",
        ]}
      >
        {page.transactions.map((t) => (
          <tr key={t.orderId} className={row} data-testid="transaction-row" data-order={t.orderId}>
            <td className={`${cell} font-mono text-xs`}>{t.orderId}</td>
            <td className={cell}>{t.type}</td>
            <td className={`${cell} whitespace-nowrap text-right`}>
              {formatLocal(t.amount.toFixed())} {t.currency}
            </td>
            <td className={`${cell} text-right`}>{formatLocal(t.referrerFee.toFixed())}</td>
            <td className={cell}>{t.referrerId ? <AccountLink id={t.referrerId} /> : "—"}</td>
            <td className={`${cell} whitespace-nowrap`}>{when(t.createdAt)}</td>
            <td className={cell}>
              {t.reversal ? (
                <span data-testid="transaction-reversed">
                  Reversed: {REVERSED[t.reversal.outcome]}
                  <span className={`block text-xs ${mutedText}`}>{when(t.reversal.at)}</span>
                </span>
              ) : (
                <ReverseTransactionForm
                  accountId={page.account.id}
                  orderId={t.orderId}
                  // Drawn per rendering: submitting this form twice reverses once.
                  reversalId={randomUUID()}
                  change={reversalChange(
                    t.orderId,
                    t.fee && {
                      referrerId: t.fee.referrerId,
                      amount: t.fee.amount.toFixed(),
                      currency: t.currency,
                      claimed: t.fee.state === "claimed",
                    },
                  )}
                />
              )}
            </td>
          </tr>
        ))}
      </BoxedTable>
    </Section>
  );
}

function Claims({ page }: { page: AccountPage }) {
  const { chainId } = walletConfig();
  return (
    <Section name="claims" empty={page.claims.length === 0}>
      <BoxedTable
        labelledBy="claims-heading"
        testId="claims-table"
        minWidth="min-w-[40rem]"
        columns={["Claim", { label: "Amount", align: "right" }, "Status", "Transaction", "When"]}
      >
        {page.claims.map((c) => {
          const url = c.transactionHash ? explorerTxUrl(c.transactionHash, chainId) : null;
          return (
            <tr key={c.id} className={row}>
              <td className={`${cell} font-mono text-xs`}>{shortId(c.id)}</td>
              <td className={`${cell} text-right`}>{formatUsd(c.amountUsd.toFixed())}</td>
              <td className={cell}>
                {c.status.toLowerCase()}
                {c.failureReason ? <div className={`max-w-[16rem] text-xs ${mutedText}`}>{c.failureReason}</div> : null}
              </td>
              <td className={`${cell} font-mono text-xs`}>
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
              <td className={`${cell} whitespace-nowrap`}>{when(c.createdAt)}</td>
            </tr>
          );
        })}
      </BoxedTable>
    </Section>
  );
}

function Signals({ page }: { page: AccountPage }) {
  return (
    <Section
      name="signals"
      empty={page.signals.length === 0}
      more={
        <>
          Resolve them in the{" "}
          <Link href="/admin/review" className={linkClass}>
            review queue
          </Link>
          .
        </>
      }
    >
      <ul className="flex flex-col divide-y divide-zinc-100 text-sm dark:divide-zinc-800" data-testid="account-signals">
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
    </Section>
  );
}
