// csvStream on its own: what it writes, and that it reads its source only as fast as its reader reads it.
import { describe, expect, it } from "vitest";
import { parseCsv } from "@/lib/testing/csv";
import { waitFor } from "@/lib/testing/fees";
import { csvStream, ExportStalled, type CsvColumn } from "./csv";
import type { RowSource } from "./cursor";

const COLUMNS: CsvColumn[] = [
  { key: "id", type: "text", description: "" },
  { key: "amount", type: "decimal", description: "" },
  { key: "at", type: "instant", description: "" },
  { key: "n", type: "integer", description: "" },
];

/** A source of `count` rows in pages of 100 that counts what it has produced and records how it was closed. */
function countingSource(count: number) {
  const state = { produced: 0, closed: false, closedWith: undefined as unknown };
  async function* pages() {
    for (let i = 0; i < count;) {
      const page = [];
      for (const end = Math.min(count, i + 100); i < end; i++) {
        page.push({
          id: `row ${i}`,
          amount: "1.500000000000000000",
          at: new Date(Date.UTC(2026, 2, 1, 0, 0, i)),
          n: i,
        });
      }
      state.produced += page.length;
      yield page;
    }
  }
  const source: RowSource<Record<string, unknown>> = {
    pages: pages(),
    close: async (error) => {
      state.closed ||= true;
      state.closedWith ??= error;
    },
  };
  return { source, state };
}

/** Lets the event loop run until `value()` stops changing over many turns: whatever would run ahead has. */
async function settled(value: () => number): Promise<number> {
  let still = 0;
  let last = value();
  while (still < 50) {
    await new Promise((resolve) => setImmediate(resolve));
    const now = value();
    still = now === last ? still + 1 : 0;
    last = now;
  }
  return last;
}

describe("csvStream", () => {
  it("writes a header, CRLF records, quoted fields where needed, exact decimals and ISO instants", async () => {
    async function* pages() {
      yield [{ id: 'a,"b"\nc', amount: "-0.000000000000000001", at: new Date("2026-03-01T00:00:00Z"), n: 7 }];
      yield [{ id: "plain", amount: "150.000000000000000000", at: null, n: null }];
    }
    const source: RowSource<Record<string, unknown>> = { pages: pages(), close: async () => undefined };
    const text = await new Response(csvStream(COLUMNS, source)).text();
    expect(text).toBe(
      'id,amount,at,n\r\n"a,""b""\nc",-0.000000000000000001,2026-03-01T00:00:00.000Z,7\r\nplain,150,,\r\n',
    );
  });

  it("reads all of its source and closes it without an error", async () => {
    const { source, state } = countingSource(5000);
    const { rows } = parseCsv(await new Response(csvStream(COLUMNS, source)).text());
    expect(rows).toHaveLength(5000);
    expect(rows[4999]).toEqual({ id: "row 4999", amount: "1.5", at: "2026-03-01T01:23:19.000Z", n: "4999" });
    await waitFor(async () => state.closed);
    expect(state.closedWith).toBeUndefined();
  });

  it("sends the header, then one chunk per page of the source, not one per record", async () => {
    const { source } = countingSource(5000);
    const chunks: string[] = [];
    for await (const chunk of csvStream(COLUMNS, source) as unknown as AsyncIterable<Uint8Array>) {
      chunks.push(new TextDecoder().decode(chunk));
    }
    expect(chunks).toHaveLength(1 + 50);
    expect(chunks[0]).toBe("id,amount,at,n\r\n");
    expect(chunks.slice(1).map((chunk) => chunk.split("\r\n").length - 1)).toEqual(Array(50).fill(100));
  });

  it("stops reading its source while the reader takes nothing, and closes it when the reader goes", async () => {
    const { source, state } = countingSource(1_000_000);
    const reader = csvStream(COLUMNS, source).getReader();
    await reader.read();
    await reader.read();
    // Without backpressure the source would run on to its millionth row here.
    expect(await settled(() => state.produced)).toBeLessThan(2000);
    expect(state.closed).toBe(false);
    await reader.cancel();
    await waitFor(async () => state.closed);
    expect(state.closedWith).toBeInstanceOf(Error);
  });

  it("ends an export whose reader takes nothing for the idle timeout", async () => {
    const { source, state } = countingSource(1_000_000);
    const reader = csvStream(COLUMNS, source, { idleTimeoutMs: 50 }).getReader();
    await reader.read();
    await waitFor(async () => state.closed);
    expect(state.closedWith).toBeInstanceOf(ExportStalled);
    await expect(reader.read()).rejects.toBeInstanceOf(ExportStalled);
  });
});
