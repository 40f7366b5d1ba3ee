/**
 * The rows of one query, read a page at a time through a server-side cursor (DECLARE … FETCH) in a read-only
 * transaction of its own. One statement means one snapshot: an export sees the tables as they were when it
 * began, whatever commits meanwhile — in particular the ledger compaction, which deletes raw rows and writes
 * their ROLLUP rows while an export may be halfway through that day. Memory is one page, whatever the number of
 * rows; PostgreSQL produces the next page only when the reader asks for it.
 *
 * The transaction holds one connection of the client's pool for as long as the export runs; the reader's pace sets
 * that time, and `maxDurationMs` bounds it.
 *
 * It speaks to node-postgres directly, on a connection of the pool under the Prisma client, rather than through
 * `$queryRaw`: there, each FETCH's rows are kept in the query's result until it completes, and kept that way they
 * are promoted to V8's old space — about 500 MB of a million-row export, some 70 old-space collections — which the
 * collector, short of CPU on a loaded machine, lets grow instead (docs/benchmarks.md, "Exports"). Taken one by one
 * as they arrive into a page of our own, the rows die young: 59 MB promoted, 11 collections.
 */
import "server-only";
import pg from "pg";
import { poolOf, type Db, type Prisma } from "@/lib/db/client";

export const DEFAULT_PAGE_ROWS = 1000;
/** Six hours: far more than any export needs at the speed of a live reader (docs/exports.md). */
export const DEFAULT_MAX_DURATION_MS = 6 * 3600_000;
/** How long an export waits for a connection of the pool before it is refused. */
const CONNECT_TIMEOUT_MS = 10_000;

export interface CursorOptions {
  /** Rows per FETCH. */
  pageSize?: number;
  /** Past this the transaction is rolled back and the next page fails, however the reader is doing. */
  maxDurationMs?: number;
}

export interface RowSource<Row> {
  /**
   * The rows in the query's order, a page (one FETCH) at a time, never an empty page; the transaction ends after
   * the last one or when a page fails.
   */
  pages: AsyncIterable<Row[]>;
  /** Ends the transaction (rolled back when given an error); safe to call more than once, and before reading. */
  close(error?: unknown): Promise<void>;
}

export class ExportExpired extends Error {
  constructor(ms: number) {
    super(`The export ran for more than ${ms} ms; its transaction was rolled back`);
  }
}

async function connect(pool: pg.Pool): Promise<pg.PoolClient> {
  const connecting = pool.connect();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`No database connection within ${CONNECT_TIMEOUT_MS} ms`)),
      CONNECT_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([connecting, timedOut]);
  } catch (error) {
    // A connection that comes after all goes back to the pool.
    connecting.then(
      (client) => client.release(),
      () => undefined,
    );
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Declares the cursor before returning, so a query the database refuses fails here, before any byte is sent.
 * @param query a SELECT with its ORDER BY
 */
export async function openCursor<Row>(db: Db, query: Prisma.Sql, options: CursorOptions = {}): Promise<RowSource<Row>> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_ROWS;
  const maxDurationMs = options.maxDurationMs ?? DEFAULT_MAX_DURATION_MS;
  const client = await connect(poolOf(db));
  let closing: Promise<void> | undefined;
  let ended: unknown;
  const close = (error?: unknown): Promise<void> => {
    if (!closing) {
      ended = error ?? new Error("The export's transaction has ended");
      clearTimeout(deadline);
      closing = client.query(error === undefined ? "COMMIT" : "ROLLBACK").then(
        () => client.release(),
        // A connection that cannot end its transaction is not given back to the pool.
        (failure: Error) => client.release(failure),
      );
    }
    return closing;
  };
  const deadline = setTimeout(() => void close(new ExportExpired(maxDurationMs)), maxDurationMs);
  deadline.unref();

  try {
    await client.query("BEGIN READ ONLY");
    await client.query(`DECLARE export_rows NO SCROLL CURSOR FOR ${query.text}`, query.values);
  } catch (error) {
    await close(error);
    throw error;
  }

  const fetchPage = (): Promise<Row[]> =>
    new Promise((resolve, reject) => {
      const page: Row[] = [];
      const fetch = new pg.Query(`FETCH FORWARD ${pageSize} FROM export_rows`);
      // With a row listener the query keeps no rows of its own: each goes into this page (see above).
      fetch.on("row", (row: Row) => page.push(row));
      fetch.once("end", () => resolve(page));
      fetch.once("error", reject);
      client.query(fetch);
    });

  async function* pages(): AsyncGenerator<Row[]> {
    let failure: unknown;
    try {
      for (;;) {
        if (closing) throw ended;
        const page = await fetchPage();
        if (page.length > 0) yield page;
        if (page.length < pageSize) return;
      }
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      await close(failure);
    }
  }

  return { pages: pages(), close };
}
