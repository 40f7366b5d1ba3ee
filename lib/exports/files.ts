/**
 * The three CSV exports finance reconciles the books with (docs/exports.md): the rewards ledger, the Perpetual
 * Earnings fee entries, and the claims with the rate each currency was converted at. Each is one SELECT read
 * through a cursor (./cursor.ts) and written as CSV (./csv.ts); the columns here are the file's header, in order,
 * and docs/api.md lists the same (a test compares them).
 */
import "server-only";
import { Prisma, type Db } from "@/lib/db/client";
import { NotFound } from "@/lib/errors";
import { openCursor, type CursorOptions } from "./cursor";
import { csvStream, type CsvColumn } from "./csv";
import type { ExportFilters } from "./schemas";

export const EXPORT_NAMES = ["ledger", "fee-entries", "claims"] as const;
export type ExportName = (typeof EXPORT_NAMES)[number];

interface ExportDefinition {
  /** What one row of the file is, for the documentation. */
  row: string;
  columns: readonly CsvColumn[];
  /** The SELECT with its ORDER BY; its column aliases are the columns' keys. */
  query(filters: ExportFilters): Prisma.Sql;
}

/** `created_at` (of `table`) within the inclusive range, and the owner column equal to the account. */
function where(table: string, owner: string, filters: ExportFilters): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  const column = (name: string) => Prisma.raw(`${table}.${name}`);
  if (filters.from) conditions.push(Prisma.sql`${column("created_at")} >= ${filters.from}`);
  if (filters.to) conditions.push(Prisma.sql`${column("created_at")} <= ${filters.to}`);
  if (filters.accountId !== undefined) conditions.push(Prisma.sql`${column(owner)} = ${filters.accountId}`);
  return conditions.length === 0 ? Prisma.empty : Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}`;
}

export const EXPORTS = {
  ledger: {
    row: "ledger row, in the order they were written (by `id`)",
    columns: [
      { key: "id", type: "integer", description: "the row's id, increasing in the order rows were written" },
      { key: "accountId", type: "text", description: "whose balance the row moves" },
      { key: "unit", type: "text", description: "POINTS, the rewards ledger's unit" },
      { key: "amount", type: "decimal", description: "exact, negative for a debit" },
      {
        key: "kind",
        type: "text",
        description: "BASE (the earner's own), DIRECT_BONUS, SHARE, or ROLLUP (compacted rows of one day)",
      },
      { key: "level", type: "integer", description: "0 for the earner itself, 1-3 for a referral level" },
      {
        key: "sourceEvent",
        type: "text",
        description:
          "what produced it: usage:<requestId>, compute:<eventId>, referral:<accountId>, or rollup:<column>:<day>:<unit>:<accountId>",
      },
      {
        key: "originAccountId",
        type: "text",
        description: "whose activity produced it (the earner, or the referred account of a bonus); empty on a rollup",
      },
      { key: "createdAt", type: "instant", description: "when it was written; a rollup's is 00:00 UTC of its day" },
    ],
    query: (filters) => Prisma.sql`
      SELECT l.id::text AS "id", l.account_id AS "accountId", l.unit::text AS "unit", l.amount::text AS "amount",
             l.kind::text AS "kind", l.level AS "level", l.source_event AS "sourceEvent",
             l.origin_account_id AS "originAccountId", l.created_at AS "createdAt"
      FROM ledger_entry l ${where("l", "account_id", filters)}
      ORDER BY l.id`,
  },
  "fee-entries": {
    row: "fee entry, oldest first",
    columns: [
      { key: "id", type: "text", description: "the entry's id, a UUID, as GET /api/referral-fees/entries shows it" },
      { key: "referrerId", type: "text", description: "who earned it" },
      { key: "transactorUserId", type: "text", description: "the referred user whose transaction it came from" },
      { key: "orderId", type: "text", description: "the transaction's orderId" },
      { key: "currency", type: "text", description: "KES, NGN, UGX, GHS, ETB or CDF" },
      { key: "amountLocal", type: "decimal", description: "the fee in that currency, exact" },
      { key: "claimId", type: "text", description: "the claim that paid it; empty while unclaimed" },
      { key: "createdAt", type: "instant", description: "when it was recorded" },
    ],
    query: (filters) => Prisma.sql`
      SELECT e.id::text AS "id", e.referrer_id AS "referrerId", e.transactor_id AS "transactorUserId",
             e.order_id AS "orderId", e.currency::text AS "currency", e.amount_local::text AS "amountLocal",
             e.claim_id::text AS "claimId", e.created_at AS "createdAt"
      FROM fee_entry e ${where("e", "referrer_id", filters)}
      ORDER BY e.created_at, e.id`,
  },
  claims: {
    row: "claim and currency, oldest claim first",
    columns: [
      { key: "claimId", type: "text", description: "the claim's id, a UUID, repeated on each of its currencies" },
      { key: "accountId", type: "text", description: "the referrer who claimed" },
      { key: "status", type: "text", description: "PENDING, COMPLETED or FAILED" },
      {
        key: "amountUsd",
        type: "decimal",
        description: "the whole claim in USD: the sum of its currencies, rounded down to 6 decimals; what was sent",
      },
      { key: "walletAddress", type: "text", description: "the Base wallet it was paid to" },
      { key: "transactionHash", type: "text", description: "the USDC transfer; empty when none was signed" },
      { key: "createdAt", type: "instant", description: "when the claim was made" },
      { key: "completedAt", type: "instant", description: "when its transfer was confirmed; empty unless COMPLETED" },
      { key: "currency", type: "text", description: "this row's currency" },
      { key: "amountLocal", type: "decimal", description: "the claim's fee entries in this currency, summed" },
      { key: "usdRate", type: "decimal", description: "USD per unit of the currency, the rate the claim used" },
      {
        key: "currencyAmountUsd",
        type: "decimal",
        description: "amountLocal × usdRate, exact, not rounded",
      },
      { key: "rateSource", type: "text", description: "where the rate came from" },
      { key: "rateUpdatedAt", type: "instant", description: "when that rate was set" },
      { key: "entryCount", type: "integer", description: "how many fee entries make up amountLocal" },
    ],
    query: (filters) => Prisma.sql`
      SELECT c.id::text AS "claimId", c.account_id AS "accountId", c.status::text AS "status",
             c.amount_usd::text AS "amountUsd", c.wallet_address AS "walletAddress",
             c.transaction_hash AS "transactionHash", c.created_at AS "createdAt", c.completed_at AS "completedAt",
             cl.currency::text AS "currency", cl.amount_local::text AS "amountLocal", cl.usd_rate::text AS "usdRate",
             cl.amount_usd::text AS "currencyAmountUsd", cl.rate_source AS "rateSource",
             cl.rate_updated_at AS "rateUpdatedAt", cl.entry_count AS "entryCount"
      FROM claim c LEFT JOIN claim_line cl ON cl.claim_id = c.id ${where("c", "account_id", filters)}
      ORDER BY c.created_at, c.id, cl.currency`,
  },
} as const satisfies Record<ExportName, ExportDefinition>;

/** The header of one export's file: its columns' names. */
export type ExportColumn<N extends ExportName> = (typeof EXPORTS)[N]["columns"][number]["key"];

export interface CsvExport {
  /** `ledger-20260331T120000Z.csv`: the export and when it was taken (UTC). */
  filename: string;
  body: ReadableStream<Uint8Array>;
}

export interface ExportOptions extends CursorOptions {
  /** A client that takes nothing for this long ends the export (default 60 s). */
  idleTimeoutMs?: number;
  now?: Date;
}

/**
 * Opens one export. Refusals happen here, before anything is sent: an unknown account (404), a database that
 * does not answer. What follows streams; a failure after the first byte cuts the response short (the client
 * sees an incomplete transfer, never a file that merely looks complete).
 */
export async function openExport(
  db: Db,
  name: ExportName,
  filters: ExportFilters,
  options: ExportOptions = {},
): Promise<CsvExport> {
  if (filters.accountId !== undefined) {
    const account = await db.account.findUnique({ where: { id: filters.accountId }, select: { id: true } });
    if (!account) throw new NotFound("Account", filters.accountId);
  }
  const definition = EXPORTS[name];
  const source = await openCursor<Record<string, unknown>>(db, definition.query(filters), options);
  const stamp = (options.now ?? new Date()).toISOString().replace(/[-:]|\.\d{3}/g, "");
  return {
    filename: `${name}-${stamp}.csv`,
    body: csvStream(definition.columns, source, options),
  };
}
