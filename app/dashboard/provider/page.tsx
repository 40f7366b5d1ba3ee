import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { RewardsDashboard } from "@/components/dashboard/RewardsDashboard";
import { siteOrigin } from "@/components/dashboard/site-origin";
import { stringifyExact } from "@/lib/api/json";
import { requireAccount } from "@/lib/auth/page-session";
import type { ReferralStats } from "@/lib/hooks/referrals";
import { referralStats } from "@/lib/rewards";
import { getPrisma } from "@/lib/db/client";

export const metadata: Metadata = { title: "Provider rewards" };

const CODE = /^prov_[A-Za-z0-9]{1,60}$/;

export default async function ProviderDashboardPage(props: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const account = await requireAccount("/dashboard/provider");
  if (account.kind === "user") redirect("/dashboard");
  const { ref } = await props.searchParams;
  const stats = JSON.parse(stringifyExact(await referralStats(getPrisma(), account.id, "PROVIDER"))) as ReferralStats;
  return (
    <div className="flex flex-col gap-6">
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Provider rewards</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Earnings from the compute you serve and from your provider network, three levels deep. Figures update on their
          own.
        </p>
      </header>
      <RewardsDashboard
        accountId={account.id}
        kind="provider"
        shareUrl={`${await siteOrigin()}/r/${account.referralCode}`}
        initialStats={stats}
        prefillCode={typeof ref === "string" && CODE.test(ref) && ref !== account.id ? ref : undefined}
      />
    </div>
  );
}
