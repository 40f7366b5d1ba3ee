import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { RewardsDashboard } from "@/components/dashboard/RewardsDashboard";
import { siteOrigin } from "@/components/dashboard/site-origin";
import { stringifyExact } from "@/lib/api/json";
import { requireAccount } from "@/lib/auth/page-session";
import type { ReferralStats } from "@/lib/hooks/referrals";
import { referralStats } from "@/lib/rewards";
import { getPrisma } from "@/lib/db/client";

export const metadata: Metadata = { title: "Your rewards" };

const CODE = /^(usr|prov)_[A-Za-z0-9]{1,60}$/;

export default async function DashboardPage(props: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const account = await requireAccount("/dashboard");
  if (account.kind === "provider") redirect("/dashboard/provider");
  const { ref } = await props.searchParams;
  // The same JSON the stats route sends, so the first render and every refresh show identical figures.
  const stats = JSON.parse(stringifyExact(await referralStats(getPrisma(), account.id, "USER"))) as ReferralStats;
  return (
    <div className="flex flex-col gap-6">
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Your rewards</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Points from your API usage and from your referral network, three levels deep. Figures update on their own.
        </p>
      </header>
      <RewardsDashboard
        accountId={account.id}
        kind="user"
        shareUrl={`${await siteOrigin()}/r/${account.referralCode}`}
        initialStats={stats}
        prefillCode={typeof ref === "string" && CODE.test(ref) && ref !== account.id ? ref : undefined}
      />
    </div>
  );
}
