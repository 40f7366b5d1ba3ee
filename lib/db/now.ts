import "server-only";
import { Prisma } from "./client";

/**
 * The moment a write is dated: the transaction's now(), or the given time for history recorded after the fact
 * (the demo's month of activity), so one writer serves both and every row and aggregate it touches agrees.
 */
export function nowSql(now?: Date): Prisma.Sql {
  return now ? Prisma.sql`${now}::timestamptz` : Prisma.sql`now()`;
}
