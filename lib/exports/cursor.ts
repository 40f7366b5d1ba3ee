/**
 * The rows of one query, read a page at a time through a server-side cursor (DECLARE … FETCH) in a read-only
 * transaction of its own. One statement means one snapshot: an export sees the tables as they were when it
 * began, whatever commits meanwhile — in particular the ledger compaction, which deletes raw rows and writes
 * their ROLLUP rows while an export may be halfway through that day. Memory is one page, whatever the number of
 * rows; PostgreSQL produces the next page only when the reader asks for it.
 *
 * The transaction holds one pooled connection for as long as the export runs; the reader's pace sets that
 * time, and `maxDurationMs` bounds it.
 */
import "server-only";
import { Prisma, type Db } from "@/lib/db/client";

export const DEFAULT_PAGE_ROWS = 1000;
/** Six hours: far more than any export needs at the speed of a live reader (docs/exports.md). */
export const DEFAULT_MAX_DURATION_MS = 6 * 3600_000;

export interface CursorOptions {
  /** Rows per FETCH. */
  pageSize?: number;
  /** Past this the transaction is rolled back and the next page fails, however the reader is doing. */
  maxDurationMs?: number;
}

export interface RowSource<Row> {
  /** The rows in the query's order; the transaction ends after the last one or when iteration stops. */
  rows: AsyncIterable<Row>;
  /** Ends the transaction (rolled back when given an error); safe to call more than once, and before reading. */
  close(error?: unknown): Promise<void>;
}

/**
 * Declares the cursor before returning, so a query the database refuses fails here, before any byte is sent.
 * @param query a SELECT with its ORDER BY
 */
export async function openCursor<Row>(db: Db, query: Prisma.Sql, options: CursorOptions = {}): Promise<RowSource<Row>> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_ROWS;
  let finish!: (error?: unknown) => void;
  const finished = new Promise<void>((resolve, reject) => {
    finish = (error) => (error === undefined ? resolve() : reject(error));
  });
  // A close after the transaction already ended on its own (its time ran out) has no one left to tell.
  finished.catch(() => undefined);
  let declared!: (tx: Prisma.TransactionClient) => void;
  const ready = new Promise<Prisma.TransactionClient>((resolve) => (declared = resolve));

  const transaction = db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SET TRANSACTION READ ONLY`;
      await tx.$executeRaw`DECLARE export_rows NO SCROLL CURSOR FOR ${query}`;
      declared(tx);
      await finished;
    },
    { maxWait: 10_000, timeout: options.maxDurationMs ?? DEFAULT_MAX_DURATION_MS },
  );
  const ended = transaction.then(
    () => undefined,
    () => undefined,
  );
  const tx = await Promise.race([
    ready,
    transaction.then(() => {
      throw new Error("The export's transaction ended before its cursor was declared");
    }),
  ]);

  let closing: Promise<void> | undefined;
  const close = (error?: unknown): Promise<void> => {
    if (!closing) {
      finish(error);
      closing = ended;
    }
    return closing;
  };

  async function* rows(): AsyncGenerator<Row> {
    let failure: unknown;
    try {
      for (;;) {
        const page = await tx.$queryRawUnsafe<Row[]>(`FETCH FORWARD ${pageSize} FROM export_rows`);
        yield* page;
        if (page.length < pageSize) return;
      }
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      await close(failure);
    }
  }

  return { rows: rows(), close };
}
