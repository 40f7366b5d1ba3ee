import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { PerpetualEarnings } from "@/components/dashboard/PerpetualEarnings";
import { stringifyExact } from "@/lib/api/json";
import { requireAccount } from "@/lib/auth/page-session";
import { walletConfig } from "@/lib/auth/wallet-config";
import { getPrisma } from "@/lib/db/client";
import { getReferralFeeBalance, listClaims, listReferralFeeEntries } from "@/lib/fees/balance";

export const metadata: Metadata = { title: "Perpetual earnings" };

/** The same JSON the API routes send, so the first render and every refresh show identical figures. */
function asJson<T>(value: unknown): T {
  return JSON.parse(stringifyExact(value)) as T;
}

export default async function EarningsPage() {
  const account = await requireAccount("/dashboard/earnings");
  // Fees come from referred users' transactions: a provider account earns none.
  if (account.kind === "provider") redirect("/dashboard/provider");
  const db = getPrisma();
  const [balance, entries, claims] = await Promise.all([
    getReferralFeeBalance(db, account.id),
    listReferralFeeEntries(db, account.id),
    listClaims(db, account.id),
  ]);
  const wallet = walletConfig();
  return (
    <div className="flex flex-col gap-6">
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Perpetual earnings</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          You earn 0.3% of every offramp and pay transaction your referrals make, in their currency. Claim it weekly as
          USDC.
        </p>
      </header>
      <PerpetualEarnings
        walletAddress={account.walletAddress}
        chainId={wallet.chainId}
        chainName={wallet.chainName}
        wallet={wallet}
        initialBalance={asJson(balance)}
        initialEntries={asJson(entries)}
        initialClaims={asJson(claims)}
      />
    </div>
  );
}
