import Link from "next/link";
import { LocalTime } from "@/components/ui/LocalTime";
import { linkClass } from "@/components/ui/styles";
import { TableBox } from "@/components/ui/TableBox";
import { TableHead } from "@/components/ui/TableHead";
import type { AuditEntry } from "@/lib/audit/log";
import { ID_PREFIX } from "@/lib/referrals/ids";

/** Audit entries as the audit log page and an account's page list them; a target that is an account links to it. */
export function AuditTable({ entries, label, testId }: { entries: AuditEntry[]; label: string; testId: string }) {
  return (
    <TableBox label={label}>
      <table className="w-full min-w-[64rem] text-sm" data-testid={testId}>
        <TableHead boxed columns={["When", "Action", "Actor", "Target", "Details"]} />
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} className="border-t border-zinc-100 align-top dark:border-zinc-800" data-testid="audit-row">
              <td className="whitespace-nowrap px-3 py-2">
                <LocalTime iso={e.at} />
              </td>
              <td className="px-3 py-2 font-medium">{e.action}</td>
              <td className="px-3 py-2 font-mono text-xs">{e.actor}</td>
              <td className="px-3 py-2 font-mono text-xs">
                {Object.values(ID_PREFIX).some((prefix) => e.target.startsWith(prefix)) ? (
                  <Link href={`/admin/accounts/${encodeURIComponent(e.target)}`} className={linkClass}>
                    {e.target}
                  </Link>
                ) : (
                  e.target
                )}
              </td>
              <td className="min-w-[20rem] max-w-[28rem] break-all px-3 py-2 font-mono text-xs">
                {JSON.stringify(e.details)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableBox>
  );
}
