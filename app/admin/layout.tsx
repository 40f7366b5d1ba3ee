import type { Metadata } from "next";
import Link from "next/link";
import { AdminNav } from "@/components/admin/AdminNav";
import { OperatorSignIn } from "@/components/admin/OperatorSignIn";
import { buttonSecondary, cardClass, mutedText } from "@/components/ui/styles";
import { operatorSignOut } from "./actions";
import { currentOperator } from "./session";

export const metadata: Metadata = { title: { template: "%s · Operator", default: "Operator" } };
export const dynamic = "force-dynamic";

/**
 * The operator console's frame: the sign-in form until an operator is signed in, then the console's sections.
 * Each page checks the operator again itself (a layout does not guard the pages rendered inside it).
 */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const operator = await currentOperator();
  if (!operator) {
    return (
      <main className="mx-auto flex min-h-dvh max-w-md flex-col justify-center gap-6 px-6 py-12">
        <header className="flex flex-col gap-2">
          <h1 className="text-2xl font-semibold tracking-tight">Operator sign-in</h1>
          <p className={`text-sm ${mutedText}`}>
            Totals, exchange rates, the payout wallet and claims that need attention.
          </p>
        </header>
        <div className={cardClass}>
          <OperatorSignIn />
        </div>
        <Link href="/" className={`text-sm ${mutedText} underline underline-offset-4`}>
          Back to the home page
        </Link>
      </main>
    );
  }
  return (
    <div className="min-h-dvh">
      <header className="border-b border-zinc-200 dark:border-zinc-800">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3">
          <nav aria-label="Operator" className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
            <Link href="/" className="mr-2 font-semibold">
              Referral engine
            </Link>
            <AdminNav />
          </nav>
          <div className="flex items-center gap-2 text-sm">
            <span className={`hidden text-xs sm:inline ${mutedText}`}>Key {operator.keyPrefix}…</span>
            <form action={operatorSignOut}>
              <button type="submit" className={buttonSecondary}>
                Sign out
              </button>
            </form>
          </div>
        </div>
      </header>
      <main id="content" className="mx-auto flex max-w-6xl flex-col gap-8 px-4 py-6 sm:py-8">
        {children}
      </main>
    </div>
  );
}
