import { Stat } from "@/components/ui/Card";
import { formatCount, formatPoints } from "@/components/ui/format";
import type { AccountKind, ReferralStats } from "@/lib/hooks/referrals";

/** The seed's level rates, as the dashboard explains them. */
export const LEVEL_RULES: Record<
  AccountKind,
  { bonus: string; percents: [string, string, string]; base: string; baseHint: string }
> = {
  user: { bonus: "25", percents: ["15%", "8%", "4%"], base: "Usage points", baseHint: "From your own API usage" },
  provider: {
    bonus: "50",
    percents: ["10%", "5%", "2.5%"],
    base: "Compute earnings",
    baseHint: "From compute work you served",
  },
};

/** Total earnings breakdown and rewards by level (all-time), with the last 30 days. */
export function EarningsBreakdown({ stats, kind }: { stats: ReferralStats; kind: AccountKind }) {
  const rules = LEVEL_RULES[kind];
  const e = stats.earnings;
  return (
    <section aria-labelledby="earnings-heading" className="flex flex-col gap-3">
      <h2 id="earnings-heading" className="text-lg font-semibold tracking-tight">
        Total earnings breakdown
      </h2>
      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat label="Total earned" value={formatPoints(e.total)} hint="Points, all time" testId="earnings-total" />
        <Stat label={rules.base} value={formatPoints(e.base)} hint={rules.baseHint} testId="earnings-base" />
        <Stat
          label="Last 30 days"
          value={formatPoints(stats.metrics.earnings30d)}
          hint="Points"
          testId="earnings-30d"
        />
        <Stat
          label="Active referrals"
          value={formatCount(stats.metrics.activeReferrals30d)}
          hint="Earned you a share in 30 days"
          testId="active-referrals"
        />
      </dl>
      <h3 className="mt-2 text-base font-semibold tracking-tight" id="levels-heading">
        Referral rewards by level
      </h3>
      <dl aria-labelledby="levels-heading" className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat
          label="Direct bonuses"
          value={formatPoints(e.directBonus)}
          hint={`${rules.bonus} points per code used`}
          testId="earnings-bonus"
        />
        <Stat
          label="Level 1 (direct)"
          value={formatPoints(e.level1)}
          hint={`${rules.percents[0]} of their earnings`}
          testId="earnings-level1"
        />
        <Stat
          label="Level 2 (secondary)"
          value={formatPoints(e.level2)}
          hint={`${rules.percents[1]} of their earnings`}
          testId="earnings-level2"
        />
        <Stat
          label="Level 3 (tertiary)"
          value={formatPoints(e.level3)}
          hint={`${rules.percents[2]} of their earnings`}
          testId="earnings-level3"
        />
      </dl>
    </section>
  );
}

/** Referral network size per level. */
export function NetworkSize({ stats }: { stats: ReferralStats }) {
  const n = stats.network;
  return (
    <section aria-labelledby="network-size-heading" className="flex flex-col gap-3">
      <h2 id="network-size-heading" className="text-lg font-semibold tracking-tight">
        Referral network size
      </h2>
      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat label="Direct" value={formatCount(n.direct)} hint="Level 1: you referred them" testId="network-direct" />
        <Stat
          label="Secondary"
          value={formatCount(n.secondary)}
          hint="Level 2: their referrals"
          testId="network-secondary"
        />
        <Stat label="Tertiary" value={formatCount(n.tertiary)} hint="Level 3" testId="network-tertiary" />
        <Stat label="Total" value={formatCount(n.total)} hint="Everyone you earn from" testId="network-total" />
      </dl>
    </section>
  );
}
