import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/Card";
import { formatDateTime } from "@/components/ui/format";
import { buttonPrimary, inputClass, linkClass, mutedText } from "@/components/ui/styles";
import { TableHead } from "@/components/ui/TableHead";
import { searchAccounts } from "@/lib/admin/accounts";
import { getPrisma } from "@/lib/db/client";
import { currentOperator } from "../session";

export const metadata: Metadata = { title: "Accounts" };
export const dynamic = "force-dynamic";

const MATCHED = {
  id: "id",
  externalId: "external id",
  email: "email",
  wallet: "wallet",
  "past wallet": "a wallet it had before",
} as const;

export default async function AccountsPage({ searchParams }: { searchParams: Promise<{ q?: string | string[] }> }) {
  if (!(await currentOperator())) return null;
  const raw = (await searchParams).q;
  const q = (Array.isArray(raw) ? raw[0] : raw)?.trim() ?? "";
  const hits = q ? await searchAccounts(getPrisma(), q) : [];
  return (
    <>
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Accounts</h1>
        <p className={`text-sm ${mutedText}`}>Find an account by its id, your external id, its email or a wallet.</p>
      </header>
      <form
        method="get"
        action="/admin/accounts"
        role="search"
        className="flex flex-col gap-2 sm:flex-row sm:items-end"
      >
        <label className="flex min-w-0 flex-1 flex-col gap-1 text-sm">
          <span className="font-medium">Id, external id, email or wallet</span>
          <input
            name="q"
            defaultValue={q}
            required
            maxLength={254}
            className={inputClass}
            placeholder="usr_…, crm-4711, ada@example.com, 0x…"
            autoComplete="off"
            spellCheck={false}
          />
        </label>
        <button type="submit" className={buttonPrimary}>
          Search
        </button>
      </form>
      {q ? (
        <Card id="results-heading" title={`Results for “${q}”`}>
          {hits.length === 0 ? (
            <p className={`text-sm ${mutedText}`} data-testid="no-results">
              No account has this id, external id, email or wallet.
            </p>
          ) : (
            <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Matching accounts">
              <table className="w-full min-w-[36rem] text-sm" data-testid="account-results">
                <TableHead columns={["Account", "Kind", "Matched on", "Email", "Created"]} />
                <tbody>
                  {hits.map((hit) => (
                    <tr key={hit.id} className="border-t border-zinc-100 dark:border-zinc-800">
                      <td className="py-2 pr-3 font-mono text-xs">
                        <Link href={`/admin/accounts/${encodeURIComponent(hit.id)}`} className={linkClass}>
                          {hit.id}
                        </Link>
                        {hit.frozen ? (
                          <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 font-sans text-amber-950 dark:bg-amber-900 dark:text-amber-50">
                            frozen
                          </span>
                        ) : null}
                      </td>
                      <td className="py-2 pr-3">{hit.kind}</td>
                      <td className="py-2 pr-3">{MATCHED[hit.matchedOn]}</td>
                      <td className="break-all py-2 pr-3">{hit.email ?? "—"}</td>
                      <td className="py-2">{formatDateTime(hit.createdAt.toISOString(), false)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>
      ) : null}
    </>
  );
}
