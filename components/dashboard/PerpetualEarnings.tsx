"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useState } from "react";
import { WalletProvider } from "@/components/providers/WalletProviders";
import { Card } from "@/components/ui/Card";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { Countdown } from "@/components/ui/Countdown";
import { formatCount, formatLocal, formatUsd, shortId } from "@/components/ui/format";
import { LocalTime } from "@/components/ui/LocalTime";
import { buttonPrimary, buttonSecondary, linkClass, mutedText } from "@/components/ui/styles";
import { TableHead } from "@/components/ui/TableHead";
import type { WalletConfig } from "@/lib/auth/wallet-config";
import { ApiError } from "@/lib/hooks/api";
import {
  referralFeeKeys,
  useClaimReferralFees,
  useReferralFeeBalance,
  useReferralFeeClaims,
  useReferralFeeClaimsPage,
  useReferralFeeEntries,
  useReferralFeeEntriesPage,
  type ReferralFeeBalance,
  type ReferralFeeClaim,
  type ReferralFeeClaimsResponse,
  type ReferralFeeEntriesResponse,
} from "@/lib/hooks/referral-fees";
import { explorerTxUrl } from "@/lib/payouts/explorer";
import { FeeEntriesTable, FeeEntryRows } from "@/components/fees/FeeEntriesTable";
import { LinkWallet } from "./LinkWallet";
import { EmptyNote, TableBox } from "@/components/ui/TableBox";

/** A refused claim (docs/perpetual-earnings.md), in words. Nothing was recorded or sent in any of these cases. */
export function claimRefusalInWords(error: unknown): string {
  if (!(error instanceof ApiError))
    return "The claim could not be sent: the server could not be reached. Nothing was claimed; try again.";
  switch (error.code) {
    case "claim_cooldown": {
      const next = typeof error.fields.nextClaimDate === "string" ? new Date(error.fields.nextClaimDate) : null;
      return next && !Number.isNaN(next.getTime())
        ? `Claims are allowed once per week. Your next claim is available ${next.toUTCString()}.`
        : "Claims are allowed once per week.";
    }
    case "wallet_recently_changed": {
      const until = typeof error.fields.walletHoldUntil === "string" ? new Date(error.fields.walletHoldUntil) : null;
      return until && !Number.isNaN(until.getTime())
        ? `Your payout wallet was replaced recently, so claims wait until ${until.toUTCString()}. Nothing was claimed.`
        : "Your payout wallet was replaced recently, so claims wait a while. Nothing was claimed.";
    }
    case "account_frozen":
      return "Claims are paused on your account while it is reviewed. Nothing was claimed, and you keep earning.";
    case "nothing_to_claim":
      return "There is nothing to claim yet.";
    case "no_wallet_linked":
      return "Link a Base wallet before claiming: the USDC is sent to it.";
    case "claim_in_progress":
      return "A claim is already being paid. It settles on its own; the figures update when it does.";
    case "rates_unavailable":
      return "The exchange rates are out of date, so nothing was claimed. Try again later.";
    case "payouts_paused":
      return "Claims are paused by the operator. Nothing was claimed; try again later.";
    case "payouts_unavailable":
      return "Payouts are not available right now. Nothing was claimed; try again later.";
    case "claim_below_minimum":
      return error.detail ?? "The amount is below the minimum claim.";
  }
  if (error.status === 429) return "Too many attempts. Wait a minute and try again.";
  if (error.status === 401) return "Your session has ended. Sign in again.";
  return `The claim could not be sent: ${error.detail ?? error.error}. Nothing was claimed.`;
}

/** A payout transaction: a block-explorer link on Base, the hash itself on a chain without an explorer. */
function TxLink({ hash, chainId, compact = false }: { hash: string; chainId: number; compact?: boolean }) {
  const url = explorerTxUrl(hash, chainId);
  const text = compact ? (
    <>
      <span aria-hidden="true">{shortId(hash)}</span>
      <span className="sr-only">{hash}</span>
    </>
  ) : (
    hash
  );
  return url ? (
    <a
      href={url}
      target="_blank"
      rel="noreferrer"
      className={`${linkClass} break-all font-mono`}
      title={hash}
      data-testid="tx-link"
    >
      {text}
      <span className="sr-only"> (view on the block explorer, opens in a new tab)</span>
    </a>
  ) : (
    <code className="break-all font-mono" title={hash} data-testid="tx-hash">
      {text}
    </code>
  );
}

const STATUS_STYLE: Record<ReferralFeeClaim["status"], string> = {
  COMPLETED: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  PENDING: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  FAILED: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200",
};
const STATUS_WORDS: Record<ReferralFeeClaim["status"], string> = {
  COMPLETED: "Completed",
  PENDING: "Pending",
  FAILED: "Failed",
};

function StatusBadge({ status }: { status: ReferralFeeClaim["status"] }) {
  return (
    <span
      className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[status]}`}
      data-testid="claim-status"
    >
      {STATUS_WORDS[status]}
    </span>
  );
}

export interface PerpetualEarningsProps {
  walletAddress: string | null;
  chainId: number;
  chainName: string;
  wallet: WalletConfig;
  initialBalance: ReferralFeeBalance;
  initialEntries: ReferralFeeEntriesResponse;
  initialClaims: ReferralFeeClaimsResponse;
}

/** Perpetual Earnings (docs/dashboards.md): balance, claim, entries and claim history, refreshed every few seconds. */
export function PerpetualEarnings(props: PerpetualEarningsProps) {
  const balanceQuery = useReferralFeeBalance({ initialData: props.initialBalance });
  const balance = balanceQuery.data ?? props.initialBalance;
  const claim = useClaimReferralFees();
  const claims = useReferralFeeClaims({ initialData: props.initialClaims });
  const latest = claims.data?.claims[0];
  const canRetry =
    latest?.status === "FAILED" && balance.canClaim && balance.entryCount > 0 && props.walletAddress !== null;

  return (
    <div className="flex flex-col gap-6">
      <div className="grid gap-4 lg:grid-cols-2">
        <BalanceCard balance={balance} />
        <ClaimCard {...props} balance={balance} claim={claim} onRefresh={() => balanceQuery.refetch()} />
      </div>
      <EntriesCard initial={props.initialEntries} />
      <ClaimsCard
        initial={props.initialClaims}
        chainId={props.chainId}
        retry={canRetry && !claim.isPending ? () => claim.mutate() : null}
      />
    </div>
  );
}

function BalanceCard({ balance }: { balance: ReferralFeeBalance }) {
  return (
    <Card
      id="balance-heading"
      title="Unclaimed earnings"
      description="0.3% of every offramp and pay transaction your referrals make, forever."
    >
      <p className="text-4xl font-semibold tabular-nums tracking-tight" data-testid="balance-total">
        {formatUsd(balance.totalUsd)}
      </p>
      <p className={`mt-1 text-sm ${mutedText}`} data-testid="balance-entries">
        From {formatCount(balance.entryCount)} {balance.entryCount === 1 ? "transaction" : "transactions"}, at
        today&apos;s exchange rates
      </p>
      {balance.currencyBreakdown.length > 0 ? (
        <table className="mt-4 w-full text-sm tabular-nums" data-testid="currency-breakdown">
          <caption className="sr-only">Unclaimed earnings per currency</caption>
          <TableHead columns={["Currency", { label: "Amount", align: "right" }, { label: "In USD", align: "right" }]} />
          <tbody>
            {balance.currencyBreakdown.map((c) => (
              <tr key={c.currency} className="border-t border-zinc-100 dark:border-zinc-800">
                <th scope="row" className="py-1.5 text-left font-medium">
                  {c.currency}
                </th>
                <td className="py-1.5 text-right">{formatLocal(c.amount)}</td>
                <td className="py-1.5 text-right">
                  {balance.unpricedCurrencies?.includes(c.currency) ? "No rate yet" : formatUsd(c.amountUsd)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {balance.unpricedCurrencies && balance.unpricedCurrencies.length > 0 ? (
        <p className="mt-3 text-sm text-amber-800 dark:text-amber-200">
          {balance.unpricedCurrencies.join(", ")} {balance.unpricedCurrencies.length === 1 ? "has" : "have"} no exchange
          rate yet and
          {balance.unpricedCurrencies.length === 1 ? " is" : " are"} not counted in the USD total.
        </p>
      ) : null}
    </Card>
  );
}

/** Said plainly, in place of the claim button: why nothing can be claimed and that nothing is lost. */
export function FrozenNotice() {
  return (
    <div
      role="status"
      className="rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-50"
      data-testid="frozen-notice"
    >
      <p className="font-semibold">Claims are paused on your account</p>
      <p className="mt-1">
        Your account is being reviewed. You keep earning and nothing is lost, but no payout can be made until the review
        is over. If you think this is a mistake, contact support.
      </p>
    </div>
  );
}

function ClaimCard(
  props: PerpetualEarningsProps & {
    balance: ReferralFeeBalance;
    claim: ReturnType<typeof useClaimReferralFees>;
    onRefresh: () => void;
  },
) {
  const { balance, claim } = props;
  const [confirming, setConfirming] = useState(false);
  const queryClient = useQueryClient();
  const coolingDown = balance.nextClaimDate !== null && !balance.canClaim;
  const inProgress = balance.claimInProgress === true;
  const nothing = balance.entryCount === 0;
  const noWallet = props.walletAddress === null;
  const disabled = claim.isPending || !balance.canClaim || nothing || noWallet;
  const onCooldownEnd = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: referralFeeKeys.balance });
  }, [queryClient]);

  const amount = formatUsd(balance.totalUsd);
  const result = claim.data;

  return (
    <Card
      id="claim-heading"
      title="Claim as USDC"
      description={
        props.walletAddress ? (
          <>
            Sent to{" "}
            <span className="break-all font-mono" title={props.walletAddress} data-testid="claim-wallet">
              {props.walletAddress}
            </span>{" "}
            on {props.chainName}. Once per week.
          </>
        ) : (
          `Claims are paid in USDC to your wallet on ${props.chainName}, once per week.`
        )
      }
    >
      <div className="flex flex-col gap-3">
        {balance.frozen ? (
          <FrozenNotice />
        ) : (
          <button
            type="button"
            className={`${buttonPrimary} w-full sm:w-auto sm:self-start`}
            disabled={disabled}
            aria-describedby="claim-why"
            onClick={() => setConfirming(true)}
            data-testid="claim-button"
          >
            {claim.isPending ? "Claiming…" : `Claim ${amount}`}
          </button>
        )}
        <p id="claim-why" className={`min-h-10 text-sm ${mutedText}`} data-testid="claim-why">
          {balance.frozen ? (
            `Your ${amount} stays yours and keeps growing with new fees; you can claim it once the review is over.`
          ) : claim.isPending ? (
            "Sending your USDC. This takes a few seconds; keep this page open."
          ) : inProgress ? (
            "A claim is being paid. It settles on its own; the figures update when it does."
          ) : balance.walletHoldUntil ? (
            <span data-testid="wallet-hold">
              Your payout wallet was replaced recently. To protect your earnings, claims resume in{" "}
              <Countdown until={balance.walletHoldUntil} onDone={onCooldownEnd} /> (
              <LocalTime iso={balance.walletHoldUntil} />
              ). If you did not make this change, contact support now.
            </span>
          ) : coolingDown ? (
            <>
              Claims are allowed once per week. Next claim in{" "}
              <Countdown until={balance.nextClaimDate!} onDone={onCooldownEnd} /> (
              <LocalTime iso={balance.nextClaimDate!} />
              ).
            </>
          ) : noWallet ? (
            "Link a wallet below to claim."
          ) : nothing ? (
            "Nothing to claim yet. Fees appear here as soon as your referrals transact."
          ) : (
            "Converted at the current exchange rates and sent as one USDC transfer. A 7-day wait starts after a successful claim."
          )}
        </p>

        {noWallet ? (
          <WalletProvider wallet={props.wallet}>
            <LinkWallet wallet={props.wallet} />
          </WalletProvider>
        ) : null}

        <div role="status" aria-live="polite" data-testid="claim-result">
          {claim.isError ? (
            <p className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-900 dark:bg-red-950 dark:text-red-100">
              {claimRefusalInWords(claim.error)}
            </p>
          ) : result?.status === "COMPLETED" ? (
            <p className="rounded-lg bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100">
              Sent {formatUsd(result.amountUsd)} USDC to your wallet.{" "}
              {result.transactionHash ? (
                <>
                  Transaction: <TxLink hash={result.transactionHash} chainId={props.chainId} />
                </>
              ) : null}
            </p>
          ) : result?.status === "PENDING" ? (
            <p className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
              {formatUsd(result.amountUsd)} USDC is on its way; the network has not confirmed it yet. It settles on its
              own.{" "}
              {result.transactionHash ? (
                <>
                  Transaction: <TxLink hash={result.transactionHash} chainId={props.chainId} />
                </>
              ) : null}
            </p>
          ) : result?.status === "FAILED" ? (
            <div className="flex flex-col items-start gap-2 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-900 dark:bg-red-950 dark:text-red-100">
              <p>The transfer failed and nothing was sent. Your fees are still claimable.</p>
              <button
                type="button"
                className={buttonSecondary}
                onClick={() => claim.mutate()}
                disabled={!balance.canClaim}
              >
                Retry claim
              </button>
            </div>
          ) : null}
        </div>
      </div>
      <ConfirmDialog
        open={confirming}
        title={`Claim ${amount} in USDC?`}
        confirmLabel="Confirm claim"
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          claim.mutate();
        }}
      >
        <p>
          All {formatCount(balance.entryCount)} unclaimed fee entries are converted to USD at the current exchange rates
          and sent as one USDC transfer to <span className="break-all font-mono">{props.walletAddress}</span> on{" "}
          {props.chainName}.
        </p>
        <p className="mt-2">After a successful claim, the next one is possible in 7 days.</p>
      </ConfirmDialog>
    </Card>
  );
}

function OlderEntryPages({
  cursor,
  count,
  onEnd,
}: {
  cursor: string;
  count: number;
  onEnd: (next: string | null) => void;
}) {
  const page = useReferralFeeEntriesPage(cursor);
  const next = page.data ? (page.data.nextCursor ?? null) : undefined;
  const last = count === 1 || next === null;
  useEffect(() => {
    if (last && next !== undefined) onEnd(next);
  }, [last, next, onEnd]);
  return (
    <>
      {page.data ? <FeeEntryRows entries={page.data.entries} /> : null}
      {!last && next ? <OlderEntryPages cursor={next} count={count - 1} onEnd={onEnd} /> : null}
    </>
  );
}

/**
 * How many older pages are shown below the first, and the cursor after the last one. Each older page follows
 * the *current* next-cursor of the page above it, so entries arriving at the top while older pages are open
 * shift the pages instead of leaving a gap between them.
 */
function useOlderPages(firstNext: string | null | undefined) {
  const [count, setCount] = useState(0);
  const [end, setEnd] = useState<{ next: string | null } | null>(null);
  const open = count > 0 && !!firstNext;
  const nextCursor = open ? (end?.next ?? null) : (firstNext ?? null);
  const loading = open && end === null;
  const onEnd = useCallback((next: string | null) => setEnd((e) => (e?.next === next ? e : { next })), []);
  const more = useCallback(() => {
    setEnd(null);
    setCount((c) => (open ? c + 1 : 1));
  }, [open]);
  return { count, open, nextCursor, loading, onEnd, more };
}

function EntriesCard({ initial }: { initial: ReferralFeeEntriesResponse }) {
  const first = useReferralFeeEntries({ initialData: initial });
  const data = first.data ?? initial;
  const older = useOlderPages(data.nextCursor);

  return (
    <Card
      id="entries-heading"
      title="Fee entries"
      description="One per transaction a referral made, newest first. Claimed entries leave this list."
    >
      {data.entries.length === 0 ? (
        <EmptyNote testId="entries-empty">
          No unclaimed fees. New ones appear here as your referrals transact.
        </EmptyNote>
      ) : (
        <FeeEntriesTable
          entries={data.entries}
          caption="Unclaimed fee entries, newest first"
          labelledBy="entries-heading"
          testId="entries-table"
        >
          {older.open && data.nextCursor ? (
            <OlderEntryPages cursor={data.nextCursor} count={older.count} onEnd={older.onEnd} />
          ) : null}
        </FeeEntriesTable>
      )}
      {older.nextCursor || older.loading ? (
        <button
          type="button"
          className={`${buttonSecondary} mt-3`}
          disabled={older.loading}
          onClick={older.more}
          data-testid="entries-more"
        >
          {older.loading ? "Loading…" : "Show older entries"}
        </button>
      ) : null}
    </Card>
  );
}

function ClaimRows({
  claims,
  chainId,
  retry,
}: {
  claims: ReferralFeeClaim[];
  chainId: number;
  retry: (() => void) | null;
}) {
  return (
    <>
      {claims.map((c, i) => (
        <tr key={c.id} className="border-t border-zinc-100 dark:border-zinc-800" data-testid="claim-row">
          <td className="whitespace-nowrap px-3 py-2">
            <LocalTime iso={c.createdAt} />
          </td>
          <td className="whitespace-nowrap px-3 py-2 text-right">{formatUsd(c.amountUsd)}</td>
          <td className="px-3 py-2">
            <StatusBadge status={c.status} />
          </td>
          <td className="px-3 py-2 text-xs">
            {c.transactionHash ? (
              <TxLink hash={c.transactionHash} chainId={chainId} compact />
            ) : c.status === "FAILED" && i === 0 && retry ? (
              <button
                type="button"
                className={buttonSecondary}
                onClick={retry}
                data-testid="claim-retry"
                aria-label="Retry the failed claim"
              >
                Retry
              </button>
            ) : c.status === "FAILED" ? (
              <span className={mutedText}>Nothing sent</span>
            ) : (
              <span className={mutedText}>Not sent yet</span>
            )}
          </td>
        </tr>
      ))}
    </>
  );
}

function OlderClaimPages(props: {
  cursor: string;
  count: number;
  chainId: number;
  onEnd: (next: string | null) => void;
}) {
  const page = useReferralFeeClaimsPage(props.cursor);
  const next = page.data ? (page.data.nextCursor ?? null) : undefined;
  const last = props.count === 1 || next === null;
  const { onEnd } = props;
  useEffect(() => {
    if (last && next !== undefined) onEnd(next);
  }, [last, next, onEnd]);
  return (
    <>
      {page.data ? <ClaimRows claims={page.data.claims} chainId={props.chainId} retry={null} /> : null}
      {!last && next ? (
        <OlderClaimPages cursor={next} count={props.count - 1} chainId={props.chainId} onEnd={onEnd} />
      ) : null}
    </>
  );
}

function ClaimsCard({
  initial,
  chainId,
  retry,
}: {
  initial: ReferralFeeClaimsResponse;
  chainId: number;
  retry: (() => void) | null;
}) {
  const first = useReferralFeeClaims({ initialData: initial });
  const data = first.data ?? initial;
  const older = useOlderPages(data.nextCursor);

  return (
    <Card
      id="claims-heading"
      title="Claim history"
      description="Every claim, newest first. A failed claim sent nothing; its fees stayed claimable."
    >
      {data.claims.length === 0 ? (
        <EmptyNote testId="claims-empty">No claims yet.</EmptyNote>
      ) : (
        <TableBox labelledBy="claims-heading">
          <table className="w-full min-w-[20rem] text-sm tabular-nums" data-testid="claims-table">
            <caption className="sr-only">Past claims, newest first</caption>
            <TableHead boxed columns={["When", { label: "Amount", align: "right" }, "Status", "Transaction"]} />
            <tbody>
              <ClaimRows claims={data.claims} chainId={chainId} retry={retry} />
              {older.open && data.nextCursor ? (
                <OlderClaimPages cursor={data.nextCursor} count={older.count} chainId={chainId} onEnd={older.onEnd} />
              ) : null}
            </tbody>
          </table>
        </TableBox>
      )}
      {older.nextCursor || older.loading ? (
        <button type="button" className={`${buttonSecondary} mt-3`} disabled={older.loading} onClick={older.more}>
          {older.loading ? "Loading…" : "Show older claims"}
        </button>
      ) : null}
    </Card>
  );
}
