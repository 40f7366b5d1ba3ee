// Exports read through their cursor on a real PostgreSQL: every page, one snapshot, and a transaction that ends
// however the reader does.
import { describe, expect, it } from "vitest";
import { compactLedger } from "@/lib/rewards/compact";
import { parseCsv } from "@/lib/testing/csv";
import { usingRealPostgres } from "@/lib/testing/db";
import { waitFor } from "@/lib/testing/fees";
import { integrationSetup } from "@/lib/testing/integration";
import { ExportStalled } from "./csv";
import { ExportExpired } from "./cursor";
import { openExport, type ExportOptions } from "./files";

const { db } = await integrationSetup();

/** `count` ledger rows for `accountId`, each of 0.1 points, `daysAgo` days old, a second apart. */
async function ledgerRows(accountId: string, count: number, daysAgo = 0) {
  await db.prisma.account.create({ data: { id: accountId, kind: "USER" } });
  await db.prisma.$executeRaw`
    INSERT INTO ledger_entry (account_id, unit, amount, kind, level, source_event, origin_account_id, created_at)
    SELECT ${accountId}, 'POINTS', 0.1, 'BASE', 0, 'fixture:' || ${accountId} || ':' || n, ${accountId},
           date_trunc('day', now()) - make_interval(days => ${daysAgo}) + make_interval(secs => n)
    FROM generate_series(1, ${count}) AS n`;
}

/** Sessions on this test's database inside a transaction, waiting for their client (an export between pages). */
async function openExportTransactions(): Promise<number> {
  const [row] = await db.prisma.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM pg_stat_activity
    WHERE datname = current_database() AND state LIKE 'idle in transaction%'`;
  return row!.n;
}

const text = (chunk: Uint8Array | undefined) => new TextDecoder().decode(chunk);

/** 3,000 ledger rows of a new account, exported in pages of 100 with `options`; the header read, nothing more. */
async function readHeader(accountId: string, options: ExportOptions) {
  await ledgerRows(accountId, 3000);
  const file = await openExport(db.prisma, "ledger", { accountId }, { pageSize: 100, ...options });
  const reader = file.body.getReader();
  await reader.read();
  return reader;
}

describe("an export's cursor", () => {
  it("reads every row, page after page, in order", async () => {
    await ledgerRows("usr_pages", 2345);
    const file = await openExport(db.prisma, "ledger", { accountId: "usr_pages" }, { pageSize: 100 });
    const { rows } = parseCsv(await new Response(file.body).text());
    expect(rows).toHaveLength(2345);
    expect(rows.map((r) => r.sourceEvent)).toEqual(
      Array.from({ length: 2345 }, (_, i) => `fixture:usr_pages:${i + 1}`),
    );
    expect(new Set(rows.map((r) => r.amount))).toEqual(new Set(["0.1"]));
  });

  it.skipIf(!usingRealPostgres)(
    "holds its transaction while the reader pauses, and ends it when the reader goes",
    async () => {
      await ledgerRows("usr_paused", 3000);
      const file = await openExport(db.prisma, "ledger", { accountId: "usr_paused" }, { pageSize: 100 });
      const reader = file.body.getReader();
      expect(text((await reader.read()).value)).toMatch(/^id,accountId,/);
      await waitFor(async () => (await openExportTransactions()) === 1);
      await reader.cancel();
      await waitFor(async () => (await openExportTransactions()) === 0);
      // The connection went back to the pool in working order.
      expect(await db.prisma.ledgerEntry.count({ where: { accountId: "usr_paused" } })).toBe(3000);
    },
  );

  it.skipIf(!usingRealPostgres)("ends its transaction when the reader takes nothing for the idle timeout", async () => {
    const reader = await readHeader("usr_stalled", { idleTimeoutMs: 200 });
    // The stream errors when the timer fires; the transaction ends with it.
    await expect(reader.closed).rejects.toBeInstanceOf(ExportStalled);
    await waitFor(async () => (await openExportTransactions()) === 0);
    await expect(reader.read()).rejects.toBeInstanceOf(ExportStalled);
  });

  it.skipIf(!usingRealPostgres)("rolls back past its maximum duration, and the next page fails", async () => {
    const reader = await readHeader("usr_expired", { maxDurationMs: 300 });
    await waitFor(async () => (await openExportTransactions()) === 1);
    await waitFor(async () => (await openExportTransactions()) === 0);
    const rest = (async () => {
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read());
    })();
    await expect(rest).rejects.toBeInstanceOf(ExportExpired);
    expect(await db.prisma.ledgerEntry.count({ where: { accountId: "usr_expired" } })).toBe(3000);
  });

  it.skipIf(!usingRealPostgres)(
    "sees one snapshot: a compaction that runs halfway through changes nothing the export shows",
    async () => {
      // 500 rows on one day 200 days ago, then the compaction folds that day while the export is on its first page.
      await ledgerRows("usr_compacted", 500, 200);
      const file = await openExport(db.prisma, "ledger", { accountId: "usr_compacted" }, { pageSize: 50 });
      const reader = file.body.getReader();
      let csv = text((await reader.read()).value);
      const compacted = await compactLedger(db.prisma, { olderThanDays: 90 });
      expect(compacted.folded).toBe(500);
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) csv += text(chunk.value);
      const during = parseCsv(csv).rows;
      expect(during).toHaveLength(500);
      expect(during.every((r) => r.kind === "BASE")).toBe(true);

      // Afterwards the same account's export shows the day's rollup: one row, the same sum, dated 00:00 UTC.
      const after = parseCsv(
        await new Response((await openExport(db.prisma, "ledger", { accountId: "usr_compacted" })).body).text(),
      ).rows;
      expect(after).toEqual([
        expect.objectContaining({
          kind: "ROLLUP",
          level: "0",
          amount: "50",
          originAccountId: "",
          createdAt: expect.stringMatching(/T00:00:00\.000Z$/),
          sourceEvent: expect.stringMatching(/^rollup:base:\d{4}-\d{2}-\d{2}:POINTS:usr_compacted$/),
        }),
      ]);
    },
  );
});
