/**
 * Rows to RFC 4180 CSV as a web ReadableStream, pulled a page at a time: the HTTP response asks for a chunk when it
 * has written the previous one, the stream keeps one page ready ahead of it, and each page is written as CSV in one
 * go (csv-stringify). A chunk is a page's text — about 125 kB for 1,000 ledger rows — so the server holds a page or
 * two and their text, however many rows there are and however slowly the client reads.
 *
 * A page per chunk rather than csv-stringify's stream: piped through Node streams, a million ledger rows went out
 * as about 28,700 chunks of 4.5 kB, each a trip through the web stream, the response and (compressed) a flush of
 * the compressor; 1,001 chunks now, and a quarter less allocated (docs/benchmarks.md, "Exports").
 */
import { stringify } from "csv-stringify/sync";
import { toPlainString } from "@/lib/money";
import type { RowSource } from "./cursor";

export interface CsvColumn {
  /** The header, and the query's column alias. */
  key: string;
  /** How the value is written: `decimal` as exact digits without trailing zeros, `instant` as ISO 8601 UTC. */
  type: "text" | "decimal" | "instant" | "integer";
  description: string;
}

/** A client that takes nothing for this long is gone or stuck; its export ends and frees its connection. */
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

export class ExportStalled extends Error {
  constructor(ms: number) {
    super(`The client read nothing for ${ms} ms; the export was stopped`);
  }
}

export class ExportCancelled extends Error {
  constructor() {
    super("The client went away before the end of the export");
  }
}

function render(type: CsvColumn["type"], value: unknown): string | null {
  if (value === null || value === undefined) return null;
  switch (type) {
    case "decimal":
      return toPlainString(String(value));
    case "instant":
      return (value as Date).toISOString();
    default:
      return String(value);
  }
}

/** One CSV text: the header when `rows` is undefined, else the records of a page, each ended by CRLF. */
function csvText(columns: readonly CsvColumn[], rows?: readonly Record<string, unknown>[]): string {
  const records = rows
    ? rows.map((row) => columns.map((column) => render(column.type, row[column.key])))
    : [columns.map((column) => column.key)];
  return stringify(records, { record_delimiter: "windows" });
}

export function csvStream(
  columns: readonly CsvColumn[],
  source: RowSource<Record<string, unknown>>,
  options: { idleTimeoutMs?: number } = {},
): ReadableStream<Uint8Array> {
  const idleMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const pages = source.pages[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  let headerSent = false;

  let idle: NodeJS.Timeout | undefined;
  let stream!: ReadableStreamDefaultController<Uint8Array>;
  const arm = () => {
    idle = setTimeout(() => {
      const stalled = new ExportStalled(idleMs);
      void source.close(stalled);
      stream.error(stalled);
    }, idleMs);
    idle.unref();
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      stream = controller;
      arm();
    },
    async pull(controller) {
      clearTimeout(idle);
      try {
        let text: string;
        if (headerSent) {
          const next = await pages.next();
          if (next.done) {
            await source.close();
            return controller.close();
          }
          text = csvText(columns, next.value);
        } else {
          text = csvText(columns);
          headerSent = true;
        }
        controller.enqueue(encoder.encode(text));
        arm();
      } catch (error) {
        await source.close(error);
        throw error;
      }
    },
    async cancel() {
      clearTimeout(idle);
      await source.close(new ExportCancelled());
    },
  });
}
