import Link from "next/link";
import { LiveUpdates } from "@/components/dashboard/LiveUpdates";
import { NavLinks } from "@/components/dashboard/NavLinks";
import { QueryProvider } from "@/components/providers/QueryProvider";
import { shortId } from "@/components/ui/format";
import { auth, signOut } from "@/lib/auth/nextauth";
import { getAccountView } from "@/lib/referrals/accounts";
import { getPrisma } from "@/lib/db/client";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const session = await auth();
  const account = session?.accountId ? await getAccountView(getPrisma(), session.accountId).catch(() => null) : null;
  // Signed out: each page sends the browser to sign-in with its own path to come back to.
  if (!account) return children;
  const links =
    account.kind === "provider"
      ? [{ href: "/dashboard/provider", label: "Rewards" }]
      : [
          { href: "/dashboard", label: "Rewards" },
          { href: "/dashboard/earnings", label: "Perpetual earnings" },
        ];
  return (
    <div className="min-h-dvh">
      <a
        href="#content"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-10 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:shadow dark:focus:bg-zinc-900"
      >
        Skip to content
      </a>
      <header className="border-b border-zinc-200 dark:border-zinc-800">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-x-4 gap-y-1 px-4 py-2 sm:py-3">
          <Link href="/" className="rounded-md py-1.5 text-sm font-semibold">
            Referral engine
          </Link>
          <nav
            aria-label="Dashboard"
            className="order-last -mx-2 flex w-full flex-wrap items-center gap-1 text-sm sm:order-none sm:mx-0 sm:mr-auto sm:w-auto"
          >
            <NavLinks links={links} />
          </nav>
          <form
            action={async () => {
              "use server";
              await signOut({ redirectTo: "/signin" });
            }}
            className="flex items-center gap-3 text-sm"
          >
            <span className="font-mono text-xs text-zinc-600 dark:text-zinc-400" title={account.id}>
              <span className="sr-only">Signed in as </span>
              <span data-testid="account-id" className="sr-only sm:not-sr-only">
                {account.id}
              </span>
              <span aria-hidden="true" className="sm:hidden">
                {shortId(account.id)}
              </span>
            </span>
            <button
              type="submit"
              className="min-h-9 rounded-md border border-zinc-300 px-3 py-1 hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800"
            >
              Sign out
            </button>
          </form>
        </div>
      </header>
      <main id="content" tabIndex={-1} className="mx-auto max-w-6xl px-4 py-6 focus:outline-none sm:py-8">
        {account.frozen ? (
          <p
            role="status"
            className="mb-6 rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-50"
            data-testid="account-frozen"
          >
            <span className="font-semibold">Payouts are paused while your account is reviewed.</span> You keep earning
            and nothing is lost; claims open again when the review is over.
          </p>
        ) : null}
        <QueryProvider>
          <LiveUpdates />
          {children}
        </QueryProvider>
      </main>
    </div>
  );
}
