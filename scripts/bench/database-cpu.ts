/**
 * CPU the PostgreSQL backends serving the bench's database have used, read from /proc: beside the server's own CPU
 * per request, it shows what a request costs the database, a figure the machine's other load barely changes (a
 * latency does not). Only when PostgreSQL runs on this machine; the backends serving other databases (other
 * sessions' tests, say) are not counted, nor autovacuum's.
 */
import type { Db } from "@/lib/db/client";
import { processCpuMs } from "./memory";

/** CPU so far, in ms, of each client backend connected to this database now; null when /proc cannot show them. */
export async function databaseCpu(db: Db): Promise<Map<number, number> | null> {
  const backends = await db.$queryRaw<{ pid: number }[]>`
    SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'`;
  const cpu = new Map<number, number>();
  for (const { pid } of backends) {
    // Null for another machine's PostgreSQL, or a backend gone since the listing.
    const ms = processCpuMs(pid);
    if (ms !== null) cpu.set(pid, ms);
  }
  return cpu.size > 0 ? cpu : null;
}

/** CPU used between two readings: a backend that started in between counts from zero. */
export function databaseCpuBetween(before: Map<number, number> | null, after: Map<number, number> | null): number | null {
  if (!before || !after) return null;
  let ms = 0;
  for (const [pid, now] of after) ms += now - (before.get(pid) ?? 0);
  return ms;
}
