/**
 * Rows to RFC 4180 CSV as a web ReadableStream, pulled end to end: the HTTP response asks for a chunk when the
 * client has taken the previous one, csv-stringify's stream asks its source for records when its buffer has
 * room, and the source fetches the next page from PostgreSQL only then. Nothing holds more than a page and a
 * few buffers, however many rows there are and however slowly the client reads.
 */
import { Readable, pipeline } from "node:stream";
import { stringify } from "csv-stringify";
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

async function* records(columns: readonly CsvColumn[], rows: AsyncIterable<Record<string, unknown>>) {
  for await (const row of rows) yield columns.map((column) => render(column.type, row[column.key]));
}

export function csvStream(
  columns: readonly CsvColumn[],
  source: RowSource<Record<string, unknown>>,
  options: { idleTimeoutMs?: number } = {},
): ReadableStream<Uint8Array> {
  const idleMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const csv = stringify({
    header: true,
    columns: columns.map((column) => ({ key: column.key, header: column.key })),
    record_delimiter: "windows",
  });
  // However the pipeline ends — the last row written, a failed page, the client gone — the transaction ends
  // with it (the source's own iteration may never have started).
  pipeline(Readable.from(records(columns, source.rows)), csv, (error) => void source.close(error ?? undefined));
  const chunks = csv[Symbol.asyncIterator]() as AsyncIterator<Buffer>;

  let idle: NodeJS.Timeout | undefined;
  let stream!: ReadableStreamDefaultController<Uint8Array>;
  const arm = () => {
    idle = setTimeout(() => {
      const stalled = new ExportStalled(idleMs);
      csv.destroy(stalled);
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
      const next = await chunks.next();
      if (next.done) {
        controller.close();
      } else {
        controller.enqueue(next.value);
        arm();
      }
    },
    async cancel() {
      clearTimeout(idle);
      await chunks.return?.();
    },
  });
}
