import type { Metadata } from "next";
import Link from "next/link";
import { AuditTable } from "@/components/admin/AuditTable";
import { buttonPrimary, buttonSecondary, inputClass, linkClass, mutedText } from "@/components/ui/styles";
import { listAuditLog } from "@/lib/audit/log";
import { getPrisma } from "@/lib/db/client";
import { pageOrNull, queryParam, type SearchParams } from "../query";
import { currentOperator } from "../session";

export const metadata: Metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  if (!(await currentOperator())) return null;
  const params = await searchParams;
  const target = queryParam(params, "target");
  const cursor = queryParam(params, "cursor");
  const page = await pageOrNull(listAuditLog(getPrisma(), { target, cursor, limit: 50 }));
  const more = (next: string) =>
    `/admin/audit?${new URLSearchParams({ ...(target ? { target } : {}), cursor: next }).toString()}`;
  return (
    <>
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Audit log</h1>
        <p className={`text-sm ${mutedText}`}>
          Every operator action, newest first: by API key, from this console, from the command line, or automatic. It
          cannot be changed or deleted.
        </p>
      </header>
      <form method="get" action="/admin/audit" className="flex flex-col gap-2 sm:flex-row sm:items-end">
        <label className="flex min-w-0 flex-1 flex-col gap-1 text-sm">
          <span className="font-medium">Only about this id (an account, a signal, an adjustment…)</span>
          <input name="target" defaultValue={target} maxLength={200} className={inputClass} autoComplete="off" />
        </label>
        <button type="submit" className={buttonPrimary}>
          Filter
        </button>
      </form>
      {!page ? (
        <p className="text-sm text-red-700 dark:text-red-300">
          That page of the log no longer exists.{" "}
          <Link href="/admin/audit" className={linkClass}>
            Start over
          </Link>
        </p>
      ) : page.entries.length === 0 ? (
        <p className={`text-sm ${mutedText}`}>No entries.</p>
      ) : (
        <AuditTable entries={page.entries} label="Audit entries" testId="audit-table" />
      )}
      {page?.nextCursor ? (
        <Link href={more(page.nextCursor)} className={`${buttonSecondary} self-start`}>
          Older entries
        </Link>
      ) : null}
    </>
  );
}
