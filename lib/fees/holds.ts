/**
 * Holds (docs/corrections.md): a fee entry becomes claimable `holdDays` after it is recorded. The moment is fixed
 * on the entry when it is written (`available_at`), so a later change of holdDays moves no existing entry.
 * Entries that take money back (a clawback, a negative adjustment) are never held: they count at once.
 */
import "server-only";
import { Prisma } from "@/lib/db/client";
import type { Decimal } from "@/lib/money";

type Env = Record<string, string | undefined>;

/** The Perpetual Earnings program's holdDays: the one place it is read. */
export function holdDays(env: Env = process.env): number {
  const raw = env.HOLD_DAYS?.trim() ?? "";
  if (raw === "") return 0;
  if (!/^[0-9]{1,4}$/.test(raw)) throw new Error(`HOLD_DAYS must be a whole number of days, got "${raw}"`);
  return Number(raw);
}

/** SQL for when an entry recorded at `createdAt` (SQL) becomes claimable. */
export function availableAtSql(createdAt: Prisma.Sql, env: Env = process.env): Prisma.Sql {
  const days = holdDays(env);
  return days === 0 ? createdAt : Prisma.sql`${createdAt} + make_interval(days => ${days}::int)`;
}

/** When an entry of `amount` recorded now becomes claimable: a negative one at once. */
export function entryAvailableAtSql(amount: Decimal, env: Env = process.env): Prisma.Sql {
  return amount.isNegative() ? Prisma.sql`now()` : availableAtSql(Prisma.sql`now()`, env);
}
