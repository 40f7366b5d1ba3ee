/**
 * Holds (docs/corrections.md): a fee entry becomes claimable `holdDays` (of the Perpetual Earnings program in force,
 * docs/perpetual-earnings.md) after it is recorded. The moment is fixed on the entry when it is written
 * (`available_at`), so a later change of holdDays moves no existing entry. Entries that take money back (a
 * clawback, a negative adjustment) are never held: they count at once.
 */
import "server-only";
import { Prisma } from "@/lib/db/client";
import type { Decimal } from "@/lib/money";

/** SQL for when an entry recorded at `createdAt` (SQL) becomes claimable, `holdDays` later. */
export function availableAtSql(createdAt: Prisma.Sql, holdDays: number): Prisma.Sql {
  return holdDays === 0 ? createdAt : Prisma.sql`${createdAt} + make_interval(days => ${holdDays}::int)`;
}

/** When an entry of `amount` recorded now becomes claimable: a negative one at once. */
export function entryAvailableAtSql(amount: Decimal, holdDays: number): Prisma.Sql {
  return amount.isNegative() ? Prisma.sql`now()` : availableAtSql(Prisma.sql`now()`, holdDays);
}
