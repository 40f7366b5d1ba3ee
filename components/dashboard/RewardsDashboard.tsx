"use client";

import { ApiError } from "@/lib/hooks/api";
import { useReferralStats, type AccountKind, type ReferralStats } from "@/lib/hooks/referrals";
import { ApplyReferral } from "./ApplyReferral";
import { EarningsBreakdown, NetworkSize } from "./Breakdown";
import { EarningsChart } from "./EarningsChart";
import { NetworkTree } from "./NetworkTree";
import { ReferralCode } from "./ReferralCode";

/**
 * The Rewards & Referrals dashboard of a user or a provider (docs/dashboards.md). The page renders
 * with the server's figures; from then on they refresh every few seconds.
 */
export function RewardsDashboard(props: {
  accountId: string;
  kind: AccountKind;
  shareUrl: string;
  initialStats: ReferralStats;
  prefillCode?: string;
}) {
  const { data, error, isRefetchError } = useReferralStats(props.kind, props.accountId, {
    initialData: props.initialStats,
  });
  const stats = data ?? props.initialStats;

  return (
    <div className="flex flex-col gap-8">
      {isRefetchError ? (
        <p
          role="status"
          className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100"
        >
          The figures could not be refreshed
          {error instanceof ApiError && error.status === 401
            ? ": your session has ended. Sign in again."
            : "; they are retried every few seconds."}
        </p>
      ) : null}
      <div className="grid gap-4 lg:grid-cols-2">
        <ReferralCode code={stats.referralCode} shareUrl={props.shareUrl} kind={props.kind} />
        <ApplyReferral referredBy={stats.referredBy} kind={props.kind} prefill={props.prefillCode} />
      </div>
      <NetworkSize stats={stats} />
      <EarningsBreakdown stats={stats} kind={props.kind} />
      <EarningsChart history={stats.history} kind={props.kind} />
      <NetworkTree rootId={props.accountId} networkTotal={stats.network.total} />
    </div>
  );
}
